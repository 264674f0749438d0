/**
 * The series the report plots over virtual time, derived from the history: each client's queue
 * length, each client's cursor lag per session, and frames sent per second by delivery route.
 * Cursor lag is approximate: the session head is the highest seq the server has sent anywhere.
 */
import { entriesOfKinds, type History } from '../../model/index.ts';

export type Point = [ms: number, value: number];

export interface Series {
  name: string;
  points: Point[];
}

export function queueSeries(history: History): Series[] {
  const byClient = new Map<string, Point[]>();
  for (const entry of entriesOfKinds(history, ['queue'])) {
    const points = byClient.get(entry.client) ?? [[0, 0]];
    points.push([entry.t, entry.length]);
    byClient.set(entry.client, points);
  }
  return sortedSeries(byClient);
}

export function cursorLagSeries(history: History): Series[] {
  const head = new Map<string, number>();
  const cursors = new Map<string, { client: string; sessionId: string; cursor: number }>();
  const bySeries = new Map<string, Point[]>();
  const emit = (t: number, key: string): void => {
    const c = cursors.get(key)!;
    const points = bySeries.get(key) ?? [];
    points.push([t, Math.max(0, (head.get(c.sessionId) ?? 0) - c.cursor)]);
    bySeries.set(key, points);
  };
  for (const entry of entriesOfKinds(history, ['frame-sent', 'cursor'])) {
    if (entry.kind === 'frame-sent' && entry.seq > (head.get(entry.sessionId) ?? 0)) {
      head.set(entry.sessionId, entry.seq);
      for (const [key, c] of cursors) if (c.sessionId === entry.sessionId) emit(entry.t, key);
    } else if (entry.kind === 'cursor') {
      const key = `${entry.client} ${entry.sessionId}`;
      cursors.set(key, { client: entry.client, sessionId: entry.sessionId, cursor: entry.cursor });
      emit(entry.t, key);
    }
  }
  return sortedSeries(bySeries);
}

/** Frames sent per one-second bucket, one series per `via` (live, sync, replay, history). */
export function replayVolumeSeries(history: History, endMs: number, bucketMs = 1000): Series[] {
  const buckets = Math.max(1, Math.ceil(endMs / bucketMs));
  const counts = new Map<string, number[]>();
  for (const entry of entriesOfKinds(history, ['frame-sent'])) {
    const row = counts.get(entry.via) ?? new Array<number>(buckets).fill(0);
    const bucket = Math.min(buckets - 1, Math.floor(entry.t / bucketMs));
    row[bucket] = row[bucket]! + 1;
    counts.set(entry.via, row);
  }
  const series = new Map<string, Point[]>();
  for (const [via, row] of counts)
    series.set(
      via,
      row.map((count, i): Point => [i * bucketMs, count]),
    );
  return sortedSeries(series);
}

function sortedSeries(map: Map<string, Point[]>): Series[] {
  return [...map.keys()].sort(naturalCompare).map((name) => ({ name, points: map.get(name)! }));
}

/** `c2` before `c10`, so legends read in client order. */
export function naturalCompare(a: string, b: string): number {
  // Own comparison rather than localeCompare, whose order depends on the ICU data Node ships.
  const chunksA = a.match(/\d+|\D+/g) ?? [];
  const chunksB = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(chunksA.length, chunksB.length); i++) {
    const x = chunksA[i]!;
    const y = chunksB[i]!;
    if (x === y) continue;
    const bothNumbers = /^\d/.test(x) && /^\d/.test(y);
    if (bothNumbers && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return chunksA.length - chunksB.length;
}
