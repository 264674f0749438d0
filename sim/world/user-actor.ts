/**
 * The user behind one client: sends prompts and control messages on a schedule drawn from the
 * seed, applies what the connection hands the app (and sometimes fails to, when the apply fault
 * is on), and answers permission requests. The user outlives page reloads, so its timers live on
 * the world clock, not in the page's scope. What the client hands the app is read through the
 * transport's protocol profile.
 *
 * A scenario's `omit.actions` and `omit.answers` name actions of this user to leave out by
 * ordinal: the user makes every draw of such an action (the session, the kind, the burst, the
 * delay) and then does not take it, so a shrink can remove one action and leave the draws of the
 * rest of the run where they were. `omit.prompts` names single prompts by their number (the n of
 * `c1-pn`), most usefully those of a burst: a left-out prompt keeps its number, so the prompts
 * after it keep their names and the fault draws keyed by them (network-fault-policy.ts).
 */
import type { Timers } from '../../transport/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import type { Rng } from '../core/index.ts';
import type { Recorder } from '../core/index.ts';
import { assert } from '../core/index.ts';
import type { AppMessage, ProtocolProfile } from '../net/index.ts';
import type { ClientPage } from './client-page.ts';
import type { ClientLike, OutgoingMessage, SendResult } from './transport-factory.ts';

type AppEvent = Extract<AppMessage, { kind: 'event' }>;

const CONTROL_TYPES = ['stop', 'interrupt', 'set_mode', 'switch_session', 'session_suspend', 'session_close'] as const;
const SESSION_MODES = ['default', 'plan', 'auto'] as const;

export interface UserActorOptions {
  clientId: string;
  scenario: Scenario;
  sessionIds: string[];
  rng: Rng;
  timers: Timers;
  recorder: Recorder;
  profile: ProtocolProfile;
  /** Whether this apply fails (the apply-failure fault decides). */
  applyFails: (clientId: string, event: { sessionId: string; seq: number }) => boolean;
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
  /** Scheduled actions and permission answers drawn so far, omitted ones included: their ordinals. */
  private actionsDrawn = 0;
  private answersDrawn = 0;
  private readonly omittedActions: ReadonlySet<number>;
  private readonly omittedAnswers: ReadonlySet<number>;
  private readonly omittedPrompts: ReadonlySet<number>;

  constructor(private readonly options: UserActorOptions) {
    const { omit } = options.scenario;
    this.omittedActions = new Set(omit?.actions?.[options.clientId] ?? []);
    this.omittedAnswers = new Set(omit?.answers?.[options.clientId] ?? []);
    this.omittedPrompts = new Set(omit?.prompts?.[options.clientId] ?? []);
  }

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
    this.actionsDrawn += 1;
    const taken = !this.omittedActions.has(this.actionsDrawn);
    const sessionId = rng.pick(sessionIds);
    const [num, den] = scenario.workload.controlChance;
    if (rng.chance(num, den)) {
      const type = this.pickControlType();
      const mode = type === 'set_mode' ? rng.pick(SESSION_MODES) : undefined;
      if (taken) this.sendControl(sessionId, type, mode);
    } else if (this.burstNow()) {
      if (taken) this.sendBurst(sessionId);
      else this.skipPrompts(this.options.scenario.workload.burstPrompts ?? 1);
    } else if (taken) this.sendPrompt(sessionId);
    else this.skipPrompts(1);
  }

  /** An omitted prompt action still counts toward promptsPerClient and keeps the later prompts' names. */
  private skipPrompts(prompts: number): void {
    this.promptActions += 1;
    this.promptsSent += prompts;
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
    if (this.omittedPrompts.has(this.promptsSent)) return;
    const prompt = `${this.options.clientId}-p${this.promptsSent}`;
    const client = this.connection();
    this.lastAcceptedId = undefined;
    const result = client.send({ type: 'send', sessionId, prompt });
    const accepted = acceptedBy(result);
    const clientMsgId = (typeof result === 'object' ? result.clientMsgId : undefined) ?? this.lastAcceptedId;
    const history = {
      kind: 'prompt' as const,
      client: this.options.clientId,
      sessionId,
      prompt,
      accepted,
      ...(accepted && clientMsgId ? { clientMsgId } : {}),
    };
    // A burst's prompt carries its number: what `omit.prompts` names it by (omittable-events.ts).
    const inBurst = burst ? { inBurst: true, promptNo: this.promptsSent } : {};
    const details = { sessionId, prompt, accepted, clientMsgId, ...inBurst };
    this.options.recorder.record(this.options.clientId, 'user.prompt', details, history);
  }

  /** The clientMsgId the client reported (`observe.promptAccepted`) during the last send(). */
  private lastAcceptedId: string | undefined;

  noteAcceptedId(clientMsgId: string): void {
    this.lastAcceptedId = clientMsgId;
  }

  private sendControl(sessionId: string, type: (typeof CONTROL_TYPES)[number], mode: string | undefined): void {
    const message: OutgoingMessage = type === 'set_mode' ? { type, sessionId, mode: mode! } : { type, sessionId };
    const accepted = acceptedBy(this.connection().send(message));
    this.options.recorder.record(this.options.clientId, 'user.control', { sessionId, type, accepted });
  }

  /** The app's message handler. Throws to fail an apply, as a broken reducer would. */
  handle(message: unknown): void {
    const { clientId, recorder } = this.options;
    const app = this.options.profile.appMessageOf(message);
    if (app.kind === 'event') return this.apply(app);
    if (app.kind === 'signal') {
      const { signal } = app;
      recorder.record(clientId, `app.${signal.type}`, { ...signal }, { kind: 'signal', client: clientId, signal });
      return;
    }
    recorder.record(clientId, `app.frame.${app.type}`, app.details);
  }

  private apply(event: AppEvent): void {
    const { clientId, recorder } = this.options;
    const { sessionId, seq, prevSessionSeq, eventType } = event;
    const failed = this.options.applyFails(clientId, event);
    const history = { kind: 'applied' as const, client: clientId, sessionId, seq, prevSessionSeq, failed };
    recorder.record(
      clientId,
      failed ? 'app.apply.failed' : 'app.apply',
      { sessionId, seq, prevSessionSeq, eventType },
      history,
    );
    if (failed) throw new Error(`apply of seq ${seq} failed`);
    if (event.permissionRequestId !== null) this.answerPermission(sessionId, event.permissionRequestId);
  }

  private answerPermission(sessionId: string, requestId: string): void {
    if (this.answered.has(requestId)) return;
    this.answered.add(requestId);
    const { workload } = this.options.scenario;
    const delayMs = this.options.rng.intBetween(workload.permissionAnswerMsMin, workload.permissionAnswerMsMax);
    this.answersDrawn += 1;
    if (this.omittedAnswers.has(this.answersDrawn)) return;
    this.options.timers.setTimeout(() => {
      if (this.options.quiet()) return;
      const answer: OutgoingMessage = { type: 'permission_response', sessionId, requestId, allow: true };
      const accepted = acceptedBy(this.connection().send(answer));
      this.options.recorder.record(
        this.options.clientId,
        'user.permission',
        { sessionId, requestId, accepted },
        accepted ? { kind: 'permission-answer', client: this.options.clientId, sessionId, requestId } : undefined,
      );
    }, delayMs);
  }
}

function acceptedBy(result: SendResult): boolean {
  return typeof result === 'boolean' ? result : result.accepted;
}
