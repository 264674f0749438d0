import { describe, expect, it } from 'vitest';
import { HISTORY_PAGE_LIMIT } from '../protocol.ts';
import { validateHistoryQuery } from './validate-history-query.ts';

const query = (text: string) => validateHistoryQuery(new URLSearchParams(text));

describe('validateHistoryQuery', () => {
  it('defaults afterSeq to 0 and limit to the page limit', () => {
    expect(query('sessionId=s1')).toEqual({
      ok: true,
      value: { sessionId: 's1', afterSeq: 0, limit: HISTORY_PAGE_LIMIT },
    });
  });

  it('caps the limit at HISTORY_PAGE_LIMIT', () => {
    expect(query(`sessionId=s1&afterSeq=9&limit=${HISTORY_PAGE_LIMIT + 1}`)).toEqual({
      ok: true,
      value: { sessionId: 's1', afterSeq: 9, limit: HISTORY_PAGE_LIMIT },
    });
  });

  it('accepts an inclusive upper bound above afterSeq', () => {
    expect(query('sessionId=s1&afterSeq=3&toSeq=9')).toEqual({
      ok: true,
      value: { sessionId: 's1', afterSeq: 3, limit: HISTORY_PAGE_LIMIT, toSeq: 9 },
    });
  });

  it.each([
    ['sessionId=s1&afterSeq=5&toSeq=5', 'toSeq'],
    ['sessionId=s1&toSeq=x', 'toSeq'],
    ['afterSeq=1', 'sessionId'],
    ['sessionId=s1&afterSeq=1e3', 'afterSeq'],
    ['sessionId=s1&afterSeq=99999999999999999999', 'afterSeq'],
    ['sessionId=s1&limit=-5', 'limit'],
    ['sessionId=s1&limit=0', 'limit'],
  ])('rejects %s naming %s', (text, field) => {
    expect(query(text)).toMatchObject({ ok: false, field });
  });
});
