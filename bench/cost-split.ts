/**
 * Splits the wall time of simulated runs between the transport's own work and the simulator,
 * from a V8 CPU profile of those very runs: the same history by construction, not a re-enactment.
 *
 * Every sample is charged to the nearest frame of the project's own code on its stack. A sample
 * whose nearest project frame lies under `transport/` is the transport's work, with the native
 * code it calls (SQLite, JSON.parse, JSON.stringify) and the library code in between; everything
 * else is the simulator's: the simulated network, the world, the trace, the property checks, and
 * garbage collection and event-loop turns, which no frame owns (charged to the simulator so that
 * its share errs high). Transport code the harness calls only to inspect the end state (reading
 * the whole store back for the properties) is the simulator's too.
 */
import { Session } from 'node:inspector/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Sampling period: fine enough for a few thousand samples per default run. */
const SAMPLING_INTERVAL_US = 100;

const PROJECT_URL = pathToFileURL(fileURLToPath(new URL('..', import.meta.url))).href;
const TRANSPORT_URL = `${PROJECT_URL}transport/`;
const LIBRARY_URL = `${PROJECT_URL}node_modules/`;
/** Harness functions whose callees, transport code included, work for the checks, not the run. */
const INSPECTION_FRAMES = [{ url: `${PROJECT_URL}sim/world/world.ts`, functionName: 'endState' }];

export interface CostSplit {
  /** Sampled time, in microseconds. */
  totalUs: number;
  transportUs: number;
  /** Garbage collection and time outside JavaScript (event-loop turns): no frame owns it. */
  unownedUs: number;
}

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

type Owner = 'transport' | 'simulator' | 'unowned';

/** Runs `work` under the CPU profiler and splits the sampled time. */
export async function profileCostSplit(work: () => Promise<void>): Promise<CostSplit> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.post('Profiler.start');
    await work();
    const { profile } = await session.post('Profiler.stop');
    return splitProfile(profile as Profile);
  } finally {
    session.disconnect();
  }
}

export function splitProfile(profile: Profile): CostSplit {
  const owners = ownerOfNodes(profile.nodes);
  const split: CostSplit = { totalUs: 0, transportUs: 0, unownedUs: 0 };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's delta is the time since the previous sample, so it measures the previous one.
  for (let i = 0; i + 1 < samples.length; i++) {
    const us = deltas[i + 1] ?? 0;
    const owner = owners.get(samples[i]!) ?? 'unowned';
    split.totalUs += us;
    if (owner === 'transport') split.transportUs += us;
    else if (owner === 'unowned') split.unownedUs += us;
  }
  return split;
}

/** The owner of every node: its own frame's if it is project code, else its nearest ancestor's. */
function ownerOfNodes(nodes: readonly ProfileNode[]): Map<number, Owner> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const owners = new Map<number, Owner>();
  const visit = (node: ProfileNode, inherited: Owner, inspecting: boolean) => {
    const inspection =
      inspecting ||
      INSPECTION_FRAMES.some(
        ({ url, functionName }) => node.callFrame.url === url && node.callFrame.functionName === functionName,
      );
    const owner = inspection ? 'simulator' : (ownFrameOwner(node) ?? inherited);
    owners.set(node.id, owner);
    for (const child of node.children ?? []) visit(byId.get(child)!, owner, inspection);
  };
  if (nodes[0]) visit(nodes[0], 'unowned', false);
  return owners;
}

function ownFrameOwner(node: ProfileNode): Owner | null {
  const { url } = node.callFrame;
  if (!url.startsWith(PROJECT_URL) || url.startsWith(LIBRARY_URL)) return null;
  return url.startsWith(TRANSPORT_URL) ? 'transport' : 'simulator';
}
