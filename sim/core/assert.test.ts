/** assert: silent when the invariant holds, an AssertionError naming it when not. */
import { describe, expect, it } from 'vitest';
import { assert, AssertionError } from './assert.ts';

describe('assert', () => {
  it('passes a condition that holds and narrows the type', () => {
    const value: string | undefined = 'x' as string | undefined;
    assert(value !== undefined, 'value is set');
    expect(value.length).toBe(1);
  });

  it('throws an AssertionError naming the invariant', () => {
    const thrown = (() => {
      try {
        assert(false, 'a dispatched worker was idle');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(AssertionError);
    expect(thrown).toMatchObject({
      name: 'AssertionError',
      invariant: 'a dispatched worker was idle',
      message: 'simulator invariant broken: a dispatched worker was idle',
    });
  });
});
