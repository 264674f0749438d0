import { describe, expect, it } from 'vitest';
import type { FetchInit, FetchLike, FetchResponseLike } from './browser-io.ts';
import type { SessionEventFrame } from '../protocol.ts';
import { createHistoryFetcher, historyUrl } from './history-fetch.ts';

function event(seq: number, prevSessionSeq: number, sessionId = 's 1'): SessionEventFrame {
  return { type: 'session_event', seq, sessionId, prevSessionSeq, eventType: 'result', payload: {}, createdAt: 5 };
}

function respond(status: number, body: string): FetchResponseLike {
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: { get: () => null },
    json: async () => JSON.parse(body) as unknown,
    text: async () => body,
  };
}

function recordingFetch(status: number, body: string) {
  const requests: { url: string; init: FetchInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    requests.push({ url, init });
    return respond(status, body);
  };
  return { fetch, requests };
}

describe('createHistoryFetcher', () => {
  it('requests the history with the session, seq and limit in the query and returns the page', async () => {
    const page = { sessionId: 's 1', events: [event(4, 2), event(9, 4)], headSeq: 9 };
    const { fetch, requests } = recordingFetch(200, JSON.stringify(page));
    const result = await createHistoryFetcher(fetch, 'http://host:8')('s 1', 2, 200);
    expect(result).toEqual(page);
    expect(requests).toEqual([
      {
        url: 'http://host:8/api/chat/history?sessionId=s+1&afterSeq=2&limit=200',
        init: { method: 'GET', headers: { accept: 'application/json' } },
      },
    ]);
    expect(historyUrl('', 'a&b', 0, 1)).toBe('/api/chat/history?sessionId=a%26b&afterSeq=0&limit=1');
    expect(historyUrl('', 's', 2, 5, 8)).toBe('/api/chat/history?sessionId=s&afterSeq=2&limit=5&toSeq=8');
  });

  it('names the current connection so the server counts the page as delivered to that stream', async () => {
    const page = { sessionId: 's', events: [], headSeq: 0 };
    const { fetch, requests } = recordingFetch(200, JSON.stringify(page));
    let current: string | null = 'conn-7';
    const fetchHistory = createHistoryFetcher(fetch, '', () => current);
    await fetchHistory('s', 0, 10);
    current = null;
    await fetchHistory('s', 0, 10);
    expect(requests.map((request) => request.init.headers['x-connection-id'])).toEqual(['conn-7', undefined]);
  });

  it('rejects a non-ok status naming it', async () => {
    const { fetch } = recordingFetch(503, 'busy');
    await expect(createHistoryFetcher(fetch, '')('s 1', 0, 10)).rejects.toThrow('failed with status 503');
  });

  it('rejects a body that is not JSON', async () => {
    const { fetch } = recordingFetch(200, '<html>');
    await expect(createHistoryFetcher(fetch, '')('s 1', 0, 10)).rejects.toThrow('is not JSON');
  });

  it('rejects a response of the wrong shape, naming the field', async () => {
    const cases: [unknown, string][] = [
      [[], 'history response must be an object'],
      [{ sessionId: 'other', events: [], headSeq: 0 }, 'history response sessionId must be "s 1"'],
      [{ sessionId: 's 1', events: {}, headSeq: 0 }, 'history response events must be an array'],
      [{ sessionId: 's 1', events: [], headSeq: -1 }, 'history response headSeq must be a non-negative integer'],
      [
        { sessionId: 's 1', events: [event(4, 2), { ...event(5, 4), prevSessionSeq: 'x' }], headSeq: 5 },
        'events[1]: prevSessionSeq',
      ],
      [{ sessionId: 's 1', events: [event(4, 2, 's 2')], headSeq: 4 }, 'events[0].sessionId must be "s 1"'],
    ];
    for (const [body, message] of cases) {
      const { fetch } = recordingFetch(200, JSON.stringify(body));
      await expect(createHistoryFetcher(fetch, '')('s 1', 0, 10)).rejects.toThrow(message);
    }
  });

  it('rejects bad arguments without a request', async () => {
    const { fetch, requests } = recordingFetch(200, '{}');
    const fetchHistory = createHistoryFetcher(fetch, '');
    await expect(fetchHistory('', 0, 10)).rejects.toThrow('sessionId must be a non-empty string');
    await expect(fetchHistory('s', -1, 10)).rejects.toThrow('afterSeq must be a non-negative integer');
    await expect(fetchHistory('s', 0, 0)).rejects.toThrow('limit must be a positive integer');
    expect(requests).toEqual([]);
  });

  it('passes a network failure on as a rejection', async () => {
    const fetch: FetchLike = () => Promise.reject(new Error('socket hang up'));
    await expect(createHistoryFetcher(fetch, '')('s', 0, 10)).rejects.toThrow('socket hang up');
  });
});
