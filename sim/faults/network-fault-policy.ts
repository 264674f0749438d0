/**
 * The world's network fault policy: turns the injector's per-request decisions into network
 * actions (injected answers, lost requests and responses, extra latency, failed frame writes),
 * and holds the short-lived network conditions that timed faults switch on (latency spikes, a
 * reconnect POST held back while a second welcome arrives). Which requests and frames are which
 * comes from the transport's protocol profile.
 *
 * A request's fault draws, and its effect's, come from a stream keyed by what the request is for
 * (requestKey): a prompt's k-th POST by the prompt, any other request by its client, path and
 * ordinal among them. So a request draws the same whatever happened to other clients and other
 * prompts, and leaving one fault or user action out of a run does not move the rest.
 */
import type { DrawnFault, FaultInjector } from './faults.ts';
import { POISON_PROMPT_ANSWER, REQUEST_FAULT_EFFECTS, type NetworkRequestFaultKind } from './request-faults.ts';
import type {
  FrameFaultContext,
  FrameFaultDecision,
  NetworkFaults,
  PromptOnWire,
  ProtocolProfile,
  RequestFaultContext,
  RequestFaultDecision,
} from '../net/index.ts';
import type { Rng } from '../core/index.ts';

/** The kinds a POST is tried against, in this order (each try is a random draw). */
export const POST_FAULTS: readonly NetworkRequestFaultKind[] = [
  'http-404',
  'http-429',
  'http-500',
  'http-502',
  'http-503',
  'request-lost',
  'response-lost',
  'slow-response',
];
/** Only a prompt can be poison: a 400 for a permission answer would block the agent for good. */
export const SEND_FAULTS: readonly NetworkRequestFaultKind[] = ['http-400', ...POST_FAULTS];
export const GET_FAULTS: readonly NetworkRequestFaultKind[] = ['request-lost', 'response-lost'];
/** How long a reconnect POST is held back so the next welcome overtakes it. */
const CONCURRENT_WELCOME_HOLD_MS = 3000;
/** How long a reconnect answer is held back: past a stream's retry, welcome and reconnect round trip. */
const STALE_ANSWER_HOLD_MS = 3000;

export interface NetworkFaultTargets {
  nowMs(): number;
  /** Cuts every open stream of a client so its EventSource reconnects (a second welcome). */
  dropStreamsOf(clientId: string): void;
  /** Runs `action` after `delayMs` of virtual time. */
  after(delayMs: number, action: () => void): void;
  /** The longest one-way latency: a request sent now has reached the server by then. */
  latencyMsMax: number;
}

export class NetworkFaultPolicy implements NetworkFaults {
  private spikeUntilMs = 0;
  private spikeExtraMs = 0;
  private readonly armedWelcome = new Set<string>();
  private readonly armedStaleAnswer = new Set<string>();
  /** clientMsgIds of poison prompts: every POST of one is answered 400, in any phase. */
  private readonly poisoned = new Set<string>();
  /** Client id -> virtual ms until which it has no network. */
  private readonly offlineUntilMs = new Map<string, number>();
  private targets: NetworkFaultTargets | null = null;
  private healed = false;
  /** Requests drawn for so far per request key without its ordinal: the ordinal of the next. */
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly injector: FaultInjector,
    private readonly profile: ProtocolProfile,
  ) {}

  bind(targets: NetworkFaultTargets): void {
    this.targets = targets;
  }

  heal(): void {
    this.healed = true;
    this.spikeUntilMs = 0;
    this.armedWelcome.clear();
    this.armedStaleAnswer.clear();
    this.offlineUntilMs.clear();
  }

  /** The client's requests fail and its streams drop until `untilMs`. */
  takeOffline(clientId: string, untilMs: number): void {
    this.offlineUntilMs.set(clientId, untilMs);
    this.targets?.dropStreamsOf(clientId);
  }

  spike(untilMs: number, extraMs: number): void {
    this.spikeUntilMs = untilMs;
    this.spikeExtraMs = extraMs;
  }

  armConcurrentWelcome(clientId: string): void {
    this.armedWelcome.add(clientId);
  }

  armStaleAnswer(clientId: string): void {
    this.armedStaleAnswer.add(clientId);
  }

  onRequest(context: RequestFaultContext): RequestFaultDecision {
    const { request, clientId } = context;
    const { paths } = this.profile;
    const path = request.path.split('?')[0] ?? '';
    const prompt = path === paths.send && request.method === 'POST' ? this.profile.promptOf(request.body) : null;
    if (prompt && this.poisoned.has(prompt.clientMsgId)) return POISON_PROMPT_ANSWER;
    if (this.healed) return { action: 'pass' };
    if ((this.offlineUntilMs.get(clientId) ?? 0) > (this.targets?.nowMs() ?? 0)) return { action: 'drop' };
    const faulted = this.requestFault(context, path, prompt);
    if (faulted) return faulted;
    const now = this.targets?.nowMs() ?? 0;
    return now < this.spikeUntilMs ? { action: 'delay', delayMs: this.spikeExtraMs } : { action: 'pass' };
  }

  /** The fault this request gets, if any; null lets it through (spikes aside). */
  private requestFault(
    context: RequestFaultContext,
    path: string,
    prompt: PromptOnWire | null,
  ): RequestFaultDecision | null {
    const { request, clientId } = context;
    const { paths } = this.profile;
    const details = { client: clientId, path, requestId: context.requestId };
    if (context.channel === 'fetch' && request.method === 'POST' && path.startsWith(paths.postPrefix)) {
      if (path === paths.reconnect && this.armedWelcome.delete(clientId)) return this.holdForSecondWelcome(clientId);
      if (path === paths.reconnect && this.armedStaleAnswer.delete(clientId))
        return this.holdAnswerPastNewStream(clientId);
      const rng = this.injector.keyed(this.requestKey(clientId, 'POST', path, prompt));
      const drawn = this.injector.draw(prompt === null ? POST_FAULTS : SEND_FAULTS, details, rng);
      if (drawn?.applied && drawn.kind === 'http-400') this.poisoned.add(prompt!.clientMsgId);
      return drawn ? this.effectOf(drawn, rng) : null;
    }
    if (context.channel === 'fetch' && path === paths.history) {
      const rng = this.injector.keyed(this.requestKey(clientId, 'GET', path, null));
      const drawn = this.injector.draw(GET_FAULTS, details, rng);
      return drawn ? this.effectOf(drawn, rng) : null;
    }
    return null;
  }

  /**
   * A name for what a request is for that other requests do not move: a prompt's POST by the
   * prompt's text (the user numbers its prompts, omitted ones included) and the attempt; any other
   * request by its client, method, path and ordinal among those. A clientMsgId would not do: it
   * comes from an id counter that every omitted prompt shifts.
   */
  private requestKey(clientId: string, method: string, path: string, prompt: PromptOnWire | null): string {
    const what = prompt === null ? `${method} ${path}` : `prompt ${prompt.prompt || prompt.clientMsgId}`;
    const base = `${clientId} ${what}`;
    const ordinal = (this.attempts.get(base) ?? 0) + 1;
    this.attempts.set(base, ordinal);
    return `${base} #${ordinal}`;
  }

  /** The effect's own draws are made even for an omitted firing, so the draws after it stay in place. */
  private effectOf(drawn: DrawnFault<NetworkRequestFaultKind>, rng: Rng): RequestFaultDecision | null {
    const effect = REQUEST_FAULT_EFFECTS[drawn.kind];
    if (effect.hits !== 'request') return null;
    const decision = effect.decision(rng);
    return drawn.applied ? decision : null;
  }

  onFrame(context: FrameFaultContext): FrameFaultDecision {
    if (this.healed || this.profile.sessionEventOf(context.chunk) === null) return { action: 'pass' };
    const kind = this.injector.decide(['write-failure'], { client: context.clientId, streamId: context.streamId });
    return kind ? REQUEST_FAULT_EFFECTS[kind].decision : { action: 'pass' };
  }

  private holdForSecondWelcome(clientId: string): RequestFaultDecision | null {
    const details = { client: clientId, holdMs: CONCURRENT_WELCOME_HOLD_MS };
    if (!this.injector.fired('concurrent-welcome', details)) return null;
    this.targets?.dropStreamsOf(clientId);
    return { action: 'delay', delayMs: CONCURRENT_WELCOME_HOLD_MS };
  }

  /** The server handles the reconnect; once it has, the stream drops and the answer comes late. */
  private holdAnswerPastNewStream(clientId: string): RequestFaultDecision | null {
    const details = { client: clientId, holdMs: STALE_ANSWER_HOLD_MS };
    if (!this.injector.fired('stale-reconnect-answer', details)) return null;
    const targets = this.targets;
    targets?.after(targets.latencyMsMax + 1, () => {
      if (!this.healed) targets.dropStreamsOf(clientId);
    });
    return { action: 'hold-response', holdMs: STALE_ANSWER_HOLD_MS };
  }
}
