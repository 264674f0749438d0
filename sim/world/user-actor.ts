/**
 * The user behind one client: sends prompts and control messages on a schedule drawn from the
 * seed, applies what the connection hands the app (and sometimes fails to, when the apply fault
 * is on), and answers permission requests. The user outlives page reloads, so its timers live on
 * the world clock, not in the page's scope.
 */
import type { ClientSignal, ServerFrame, SessionEventFrame } from '../../transport/index.ts';
import type { Timers } from '../../transport/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import type { Rng } from '../core/index.ts';
import type { Recorder } from '../core/index.ts';
import { assert } from '../core/index.ts';
import type { ClientPage } from './client-page.ts';
import type { ClientLike, OutgoingMessage } from './transport-factory.ts';

const CONTROL_TYPES = ['stop', 'interrupt', 'set_mode', 'switch_session', 'session_suspend', 'session_close'] as const;

export interface UserActorOptions {
  clientId: string;
  scenario: Scenario;
  sessionIds: string[];
  rng: Rng;
  timers: Timers;
  recorder: Recorder;
  /** Whether this apply fails (the apply-failure fault decides). */
  applyFails: (clientId: string, frame: SessionEventFrame) => boolean;
  /** Whether the chaos phase is still on: users start nothing new in the heal phase. */
  inChaos: () => boolean;
  /**
   * Whether the run is in its final quiet window: the user starts nothing (not even a permission
   * answer), so what liveness judges at the end is what the transport settled, not what is in flight.
   */
  quiet: () => boolean;
}

export class UserActor {
  private page: ClientPage | null = null;
  private promptsSent = 0;
  /** Prompt actions toward promptsPerClient: a burst is one. */
  private promptActions = 0;
  private readonly answered = new Set<string>();

  constructor(private readonly options: UserActorOptions) {}

  attach(page: ClientPage): void {
    this.page = page;
  }

  /** The client of the user's page, as it is now (a reload replaces it). */
  private connection(): ClientLike {
    assert(this.page !== null, 'the world attaches a page to its user before the user acts');
    return this.page.connection();
  }

  /**
   * After a reload the app shows what the replayed history still asks for, so the user answers
   * a permission request again if its first answer never reached the agent.
   */
  pageReloaded(): void {
    this.answered.clear();
  }

  /** Schedules the first action; each action schedules the next while the chaos phase lasts. */
  start(): void {
    this.scheduleNext();
  }

  private scheduleNext(): void {
    const { workload } = this.options.scenario;
    if (this.promptActions >= workload.promptsPerClient) return;
    const gapMs = this.options.rng.intBetween(workload.promptGapMsMin, workload.promptGapMsMax);
    this.options.timers.setTimeout(() => {
      if (!this.options.inChaos()) return;
      this.act();
      this.scheduleNext();
    }, gapMs);
  }

  private act(): void {
    const { rng, scenario, sessionIds } = this.options;
    const sessionId = rng.pick(sessionIds);
    const [num, den] = scenario.workload.controlChance;
    if (rng.chance(num, den)) this.sendControl(sessionId, this.pickControlType());
    else if (this.burstNow()) this.sendBurst(sessionId);
    else this.sendPrompt(sessionId);
  }

  /** Draws only when the scenario asks for an interrupt share, so older scenarios replay unchanged. */
  private pickControlType(): (typeof CONTROL_TYPES)[number] {
    const { rng, scenario } = this.options;
    const share = scenario.workload.interruptShare;
    if (share && rng.chance(share[0], share[1])) return 'interrupt';
    return rng.pick(CONTROL_TYPES);
  }

  private burstNow(): boolean {
    const { burstChance, burstPrompts } = this.options.scenario.workload;
    return (
      burstChance !== undefined && burstPrompts !== undefined && this.options.rng.chance(burstChance[0], burstChance[1])
    );
  }

  /**
   * Many prompts in one tick, as a pasted list would send them: the way a pending queue fills to
   * its cap. The burst is one action toward promptsPerClient; each prompt is recorded as usual.
   */
  private sendBurst(sessionId: string): void {
    const prompts = this.options.scenario.workload.burstPrompts ?? 1;
    this.options.recorder.record(this.options.clientId, 'user.burst', { sessionId, prompts });
    for (let i = 0; i < prompts; i++) this.sendPrompt(sessionId, { countsAsAction: i === 0 });
  }

  private sendPrompt(sessionId: string, burst?: { countsAsAction: boolean }): void {
    if (burst === undefined || burst.countsAsAction) this.promptActions += 1;
    this.promptsSent += 1;
    const prompt = `${this.options.clientId}-p${this.promptsSent}`;
    const client = this.connection();
    this.lastAcceptedId = undefined;
    const accepted = client.send({ type: 'send', sessionId, prompt });
    const clientMsgId = this.lastAcceptedId;
    const history = {
      kind: 'prompt' as const,
      client: this.options.clientId,
      sessionId,
      prompt,
      accepted,
      ...(accepted && clientMsgId ? { clientMsgId } : {}),
    };
    const details = { sessionId, prompt, accepted, clientMsgId, ...(burst ? { inBurst: true } : {}) };
    this.options.recorder.record(this.options.clientId, 'user.prompt', details, history);
  }

  /** The clientMsgId the connection reported (OBS.clientPromptAccepted) during the last send(). */
  private lastAcceptedId: string | undefined;

  noteAcceptedId(clientMsgId: string): void {
    this.lastAcceptedId = clientMsgId;
  }

  private sendControl(sessionId: string, type: (typeof CONTROL_TYPES)[number]): void {
    const message: OutgoingMessage =
      type === 'set_mode'
        ? { type, sessionId, mode: this.options.rng.pick(['default', 'plan', 'auto']) }
        : { type, sessionId };
    const accepted = this.connection().send(message);
    this.options.recorder.record(this.options.clientId, 'user.control', { sessionId, type, accepted });
  }

  /** The app's message handler. Throws to fail an apply, as a broken reducer would. */
  handle(message: ServerFrame | ClientSignal): void {
    const { clientId, recorder } = this.options;
    if (message.type === 'session_event') return this.apply(message);
    if (message.type.startsWith('_') || message.type === 'error') {
      recorder.record(
        clientId,
        `app.${message.type}`,
        { ...message },
        { kind: 'signal', client: clientId, signal: message as ClientSignal },
      );
      return;
    }
    recorder.record(clientId, `app.frame.${message.type}`, { ...message });
  }

  private apply(frame: SessionEventFrame): void {
    const { clientId, recorder } = this.options;
    const failed = this.options.applyFails(clientId, frame);
    const history = {
      kind: 'applied' as const,
      client: clientId,
      sessionId: frame.sessionId,
      seq: frame.seq,
      prevSessionSeq: frame.prevSessionSeq,
      failed,
    };
    recorder.record(
      clientId,
      failed ? 'app.apply.failed' : 'app.apply',
      { sessionId: frame.sessionId, seq: frame.seq, prevSessionSeq: frame.prevSessionSeq, eventType: frame.eventType },
      history,
    );
    if (failed) throw new Error(`apply of seq ${frame.seq} failed`);
    if (frame.eventType === 'permission_request') this.answerPermission(frame);
  }

  private answerPermission(frame: SessionEventFrame): void {
    const requestId = String((frame.payload as { requestId?: unknown })?.requestId ?? '');
    if (requestId === '' || this.answered.has(requestId)) return;
    this.answered.add(requestId);
    const { workload } = this.options.scenario;
    const delayMs = this.options.rng.intBetween(workload.permissionAnswerMsMin, workload.permissionAnswerMsMax);
    this.options.timers.setTimeout(() => {
      if (this.options.quiet()) return;
      const sessionId = frame.sessionId;
      const accepted = this.connection().send({ type: 'permission_response', sessionId, requestId, allow: true });
      this.options.recorder.record(
        this.options.clientId,
        'user.permission',
        { sessionId, requestId, accepted },
        accepted ? { kind: 'permission-answer', client: this.options.clientId, sessionId, requestId } : undefined,
      );
    }, delayMs);
  }
}
