/**
 * The run as Chrome trace-event JSON, which Perfetto (ui.perfetto.dev) and chrome://tracing
 * load: one thread per actor, every trace entry an instant, requests and phases as spans,
 * violations as global instants, each message a flow arrow from its sender's thread to its
 * receiver's (request to handling, frame written to frame received), and counter tracks for each
 * client's queue length and cursor lag. Timestamps are microseconds of virtual time.
 */
import type { RunResult } from '../sim/index.ts';
import { orderedActors } from './actor-lanes.ts';
import { isFaultEntry } from './entry-text.ts';
import { networkMessages, requestSpans } from './network-messages.ts';
import { phaseSpans } from './phase-spans.ts';
import { cursorLagSeries, queueSeries, type Series } from './html/plot-series.ts';

export interface ChromeTraceEvent {
  name: string;
  cat?: string;
  /** Metadata, instant, complete span, counter, flow start, flow end. */
  ph: 'M' | 'i' | 'X' | 'C' | 's' | 'f';
  ts: number;
  dur?: number;
  /** Ties a flow's start to its end. */
  id?: number;
  /** A flow end binds to the slice enclosing it. */
  bp?: 'e';
  pid: number;
  tid: number;
  /** Scope of an instant: thread or global. */
  s?: 't' | 'g';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string | number>;
}

const PID = 1;
const US_PER_MS = 1000;

export function toChromeTrace(result: RunResult): ChromeTrace {
  const actors = orderedActors(result.trace);
  const tidOf = new Map(actors.map((actor, i) => [actor, i + 1]));
  const simTid = tidOf.get('sim') ?? actors.length + 1;
  const events = [
    ...spanEvents(result, tidOf, simTid),
    ...instantEvents(result, tidOf),
    ...violationEvents(result, simTid),
    ...messageFlowEvents(result, tidOf, simTid),
    ...counterEvents(result),
  ];
  // Stable sort: spans keep their place before the instants that start at the same time.
  events.sort((a, b) => a.ts - b.ts);
  return {
    traceEvents: [...metadataEvents(result, actors, simTid), ...events],
    displayTimeUnit: 'ms',
    otherData: {
      scenario: result.scenario.name,
      seed: result.seed,
      version: result.version.name,
      verdict: result.verdict,
      traceHash: result.traceHash,
    },
  };
}

function metadataEvents(result: RunResult, actors: string[], simTid: number): ChromeTraceEvent[] {
  const name = `ssesim ${result.scenario.name} seed ${result.seed} (${result.version.name}) ${result.verdict}`;
  const events: ChromeTraceEvent[] = [{ name: 'process_name', ph: 'M', ts: 0, pid: PID, tid: 0, args: { name } }];
  const threads = actors.includes('sim') ? actors : [...actors, 'sim'];
  threads.forEach((actor) => {
    const tid = actor === 'sim' ? simTid : actors.indexOf(actor) + 1;
    events.push({ name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid, args: { name: actor } });
    events.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid: PID, tid, args: { sort_index: tid } });
  });
  return events;
}

function instantEvents(result: RunResult, tidOf: Map<string, number>): ChromeTraceEvent[] {
  return result.trace.map((entry) => ({
    name: entry.kind,
    cat: isFaultEntry(entry) ? 'fault' : entry.actor.startsWith('net:') ? 'net' : 'event',
    ph: 'i' as const,
    ts: entry.t * US_PER_MS,
    pid: PID,
    tid: tidOf.get(entry.actor)!,
    s: 't' as const,
    args: { index: entry.index, ...entry.details },
  }));
}

function spanEvents(result: RunResult, tidOf: Map<string, number>, simTid: number): ChromeTraceEvent[] {
  const phases = phaseSpans(result).map((span) => ({
    name: `phase ${span.phase}`,
    cat: 'phase',
    ph: 'X' as const,
    ts: span.startMs * US_PER_MS,
    dur: (span.endMs - span.startMs) * US_PER_MS,
    pid: PID,
    tid: simTid,
  }));
  const requests = requestSpans(result.trace).map((span) => ({
    name: span.label,
    cat: 'request',
    ph: 'X' as const,
    ts: span.startMs * US_PER_MS,
    dur: (span.endMs - span.startMs) * US_PER_MS,
    pid: PID,
    tid: tidOf.get(`net:${span.client}`) ?? tidOf.get(span.client) ?? simTid,
    args: { requestId: span.requestId, index: span.startIndex },
  }));
  return [...phases, ...requests];
}

/** Each violation at the time of its last evidence entry, when all it cites has happened. */
function violationEvents(result: RunResult, simTid: number): ChromeTraceEvent[] {
  const timeOf = new Map(result.trace.map((entry) => [entry.index, entry.t]));
  return result.violations.map((v) => ({
    name: `violation ${v.property}`,
    cat: 'violation',
    ph: 'i' as const,
    ts: Math.max(0, ...v.evidence.map((index) => timeOf.get(index) ?? 0)) * US_PER_MS,
    pid: PID,
    tid: simTid,
    s: 'g' as const,
    args: { message: v.message, evidence: v.evidence, ...v.subject },
  }));
}

/** A flow binds to a slice, so each end of a message gets one this long (1 µs), on its own thread. */
const FLOW_SLICE_US = 1;

/**
 * Each delivered message as a flow: a slice where it left (the client's network thread for a
 * request, the server for a response or frame) and one where it arrived, joined by an arrow.
 * A lost message has its start only.
 */
function messageFlowEvents(result: RunResult, tidOf: Map<string, number>, simTid: number): ChromeTraceEvent[] {
  const events: ChromeTraceEvent[] = [];
  const serverTid = tidOf.get('server') ?? simTid;
  networkMessages(result.trace).forEach((m, i) => {
    const clientTid = tidOf.get(`net:${m.client}`) ?? tidOf.get(m.client) ?? simTid;
    const [fromTid, toTid] = m.direction === 'post' ? [clientTid, serverTid] : [serverTid, clientTid];
    const common = { name: m.tag, cat: `message.${m.direction}`, pid: PID };
    const args = { index: m.index, label: m.label };
    const sentTs = m.sentMs * US_PER_MS;
    events.push({ ...common, ph: 'X', ts: sentTs, dur: FLOW_SLICE_US, tid: fromTid, args });
    if (m.lost) return;
    const id = i + 1;
    const arrivedTs = m.arrivedMs * US_PER_MS;
    events.push({ ...common, ph: 's', id, ts: sentTs, tid: fromTid });
    events.push({ ...common, ph: 'X', ts: arrivedTs, dur: FLOW_SLICE_US, tid: toTid, args });
    events.push({ ...common, ph: 'f', bp: 'e', id, ts: arrivedTs, tid: toTid });
  });
  return events;
}

/** Counter tracks: each client's pending queue, and its cursor lag per session. */
function counterEvents(result: RunResult): ChromeTraceEvent[] {
  const counters = (prefix: string, unit: string, series: Series[]): ChromeTraceEvent[] =>
    series.flatMap(({ name, points }) =>
      points.map(([ms, value]) => ({
        name: `${prefix} ${name}`,
        cat: 'counter',
        ph: 'C' as const,
        ts: ms * US_PER_MS,
        pid: PID,
        tid: 0,
        args: { [unit]: value },
      })),
    );
  return [
    ...counters('queue length', 'messages', queueSeries(result.history)),
    ...counters('cursor lag', 'events', cursorLagSeries(result.history)),
  ];
}
