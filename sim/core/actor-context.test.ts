import { describe, expect, it } from 'vitest';
import { currentActor, followPromises, runAs } from './actor-context.ts';

/** The actor seen synchronously in `runAs`, and in a continuation of a promise started there. */
async function seen(): Promise<[string | undefined, string | undefined]> {
  let now: string | undefined;
  const later = runAs('c1', () => {
    now = currentActor();
    return Promise.resolve().then(() => currentActor());
  });
  return [now, await later];
}

describe('actor context', () => {
  it('carries the actor through promises unless every caller declined it', async () => {
    expect(await seen()).toEqual(['c1', 'c1']);
    const declined = followPromises(false);
    expect(await seen()).toEqual(['c1', undefined]);
    const needed = followPromises(true);
    expect(await seen()).toEqual(['c1', 'c1']);
    needed();
    declined();
    declined();
    expect(await seen()).toEqual(['c1', 'c1']);
  });

  it('names the innermost actor on the stack, and none outside', () => {
    const undo = followPromises(false);
    try {
      expect(runAs('server', () => [currentActor(), runAs('c2', () => currentActor()), currentActor()])).toEqual([
        'server',
        'c2',
        'server',
      ]);
      expect(currentActor()).toBeUndefined();
    } finally {
      undo();
    }
  });
});
