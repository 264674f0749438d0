/**
 * The package's library entry (`import ... from 'ssesim'`): scenarios and their fast-check
 * arbitraries, versions, one run, campaigns, shrinking, repro files and replay, report writers,
 * transport modules, and the contract a transport implements. Everything comes from a folder's
 * index; what is not named here is internal.
 */
export {
  InputError,
  listScenarioFiles,
  loadScenarioFile,
  resolveScenario,
  runArb,
  scenarioArb,
  seedArb,
  validateScenario,
} from './scenarios/index.ts';
export type { FaultKind, Problem, Ratio, Scenario, ScenarioArbOptions } from './scenarios/index.ts';
export { DEFECTS, DEFECT_IDS, VERSION_NAMES, resolveVersion } from './transport/index.ts';
export type {
  AgentOptions,
  ClientMessage,
  ClientSignal,
  DefectId,
  Env,
  EventSourceFactory,
  EventSourceLike,
  FetchLike,
  HttpRequest,
  HttpResponse,
  RequestHandler,
  ServerFrame,
  StorageLike,
  TransportVersion,
  VersionName,
} from './transport/index.ts';
export { OBSERVATION_KINDS, PROPERTY_IDS } from './model/index.ts';
export type { History, ObservationKind, PropertyId, VerdictKind, Violation } from './model/index.ts';
export { nodeServer, realTransportFactory as bundledTransport } from './sim/world/index.ts';
export type {
  ClientIo,
  ClientLike,
  ClientObserver,
  NodeRequestListener,
  NodeServerApp,
  NodeServerStart,
  OutgoingMessage,
  SendResult,
  ServerHooks,
  ServerLike,
  ServerObserver,
  StoreLike,
  TraceNote,
  TransportFactory,
} from './sim/world/index.ts';
export type { PromptOnWire, ProtocolProfile } from './sim/net/index.ts';
export { runScenario, runVersionOf, transportVersionOf } from './sim/index.ts';
export type { RunOptions, RunResult, RunVersion } from './sim/index.ts';
export { DEFAULT_SHRINK_RUNS, NotFailingError, shrinkRun } from './sim/shrink/index.ts';
export type { ShrinkResult } from './sim/shrink/index.ts';
export {
  ReproError,
  TransportModuleError,
  loadTransportModule,
  readRepro,
  readReproTrace,
  replayRepro,
  reproTransport,
  transportModuleOf,
  writeRepro,
  writeReproFile,
} from './sim/files/index.ts';
export type {
  ReplayOptions,
  Repro,
  TransportModule,
  TransportModuleOptions,
  TransportModuleRecord,
  WriteReproOptions,
  WrittenRepro,
} from './sim/files/index.ts';
export { runCampaign } from './sim/campaign/index.ts';
export type { CampaignOptions, CampaignProgress, CampaignResult, Shard } from './sim/campaign/index.ts';
export {
  campaignSummaryOf,
  renderCampaignSummary,
  renderHtmlReport,
  toJUnitXml,
  writeReportFiles,
} from './reports/index.ts';
export type { CampaignSummary, ReportPaths } from './reports/index.ts';
