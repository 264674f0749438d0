/**
 * Every bound a scenario is checked against, named so an over-limit error can state it. The bounds
 * keep a single run small enough to be replayed and shrunk in seconds, and keep every duration an
 * integer count of virtual milliseconds that cannot overflow the clock.
 */

/** Client ids are c1..cN; the transport's per-client state is sized for a handful of tabs. */
export const MAX_CLIENTS = 8;
/** Session ids are s1..sN; every client watches every session, so cost grows with clients x sessions. */
export const MAX_SESSIONS = 6;
/** One virtual hour per phase is far past any useful chaos or heal phase. */
export const MAX_PHASE_MS = 3_600_000;
/** A run that needs more simulator steps than this is a runaway, not a test. */
export const MAX_STEP_LIMIT = 10_000_000;
/**
 * The budget of a run's total work, in trace entries: the run ends with verdict step-limit when
 * its trace reaches it. The limits above bound each field alone, and their product does not bound
 * a run (eight clients bursting 300 prompts into six sessions write over a hundred entries per
 * step). At this budget a run stays within about ten seconds and a gigabyte, with room for twice
 * the million-entry runs the cost targets are measured up to.
 */
export const MAX_RUN_TRACE_ENTRIES = 2_000_000;
export const MAX_PROMPTS_PER_CLIENT = 1_000;
/** Bound for any user or agent pause: gaps between prompts, permission answers, step delays. */
export const MAX_DELAY_MS = 600_000;
/** One-way network latency; above a minute every request times out and the run tests nothing. */
export const MAX_LATENCY_MS = 60_000;
export const MAX_AGENT_STEPS = 100;
/** A burst is enough to overfill the 100-entry pending queue, and no more than a run can afford. */
export const MAX_BURST_PROMPTS = 300;
/** Ratios stay small integers so probabilities are exact and draws are integer comparisons. */
export const MAX_RATIO_DENOMINATOR = 1_000_000;
/** Ten firings per virtual second; more would leave no time between faults for anything to happen. */
export const MAX_TIMED_FAULT_RATE_PER_MINUTE = 600;
export const MAX_NAME_LENGTH = 64;
export const MAX_DESCRIPTION_LENGTH = 1_000;
/** Names end up in file names (scenarios/<name>.json) and report titles. */
export const SCENARIO_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Omitted firings or actions per kind or client: far more than a run of the step budget fires. */
export const MAX_OMITTED_ORDINALS = 10_000;
