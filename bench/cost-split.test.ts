import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitProfile } from './cost-split.ts';

const ROOT = pathToFileURL(fileURLToPath(new URL('..', import.meta.url))).href;

/** A profile tree from [id, url, functionName, children] rows; samples as [node, µs until the next]. */
function profile(rows: [number, string, string, number[]][], samples: [number, number][]) {
  const nodes = rows.map(([id, url, functionName, children]) => ({ id, callFrame: { url, functionName }, children }));
  // timeDeltas[i] is the time before sample i, so each sample's own time sits one slot later.
  const timeDeltas = [0, ...samples.map(([, us]) => us)];
  return { nodes, samples: [...samples.map(([node]) => node), samples.at(-1)![0]], timeDeltas };
}

describe('splitProfile', () => {
  it('charges each sample to the nearest project frame, natives and libraries included', () => {
    const split = splitProfile(
      profile(
        [
          [1, '', '(root)', [2, 3, 8]],
          [2, `${ROOT}sim/network.ts`, 'deliver', [4]],
          [3, '', '(garbage collector)', []],
          [4, `${ROOT}transport/server/event-store.ts`, 'append', [5, 6]],
          [5, '', 'run', []], // better-sqlite3's native statement run
          [6, `${ROOT}node_modules/better-sqlite3/lib/methods/transaction.js`, 'transaction', [7]],
          [7, `${ROOT}sim/world.ts`, 'logger', []], // the transport logging into the simulator
          [8, `${ROOT}sim/world/world.ts`, 'endState', [9]],
          [9, `${ROOT}transport/server/event-store.ts`, 'getSessionEvents', []],
        ],
        [
          [2, 10],
          [3, 20],
          [4, 30],
          [5, 40],
          [6, 50],
          [7, 60],
          [9, 70],
        ],
      ),
    );
    // transport: append 30 + native run 40 + library 50; unowned: GC 20; simulator: the rest.
    expect(split).toEqual({ totalUs: 280, transportUs: 120, unownedUs: 20 });
  });
});
