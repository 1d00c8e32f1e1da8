export { defineAlgorithm, type AgentContext, type AlgorithmSpec } from './algorithms';
export { isInputError, reportFailure, UsageError, type FailureReport } from './errors';
export {
  buildProgram,
  checkTrainArguments,
  runCli,
  type CliOptions,
  type CliOutcome,
  type ResumeRecord,
  type RunConfig,
} from './program';
export { runMain } from './main';
export { describeSettings, formatSettings, typeLine, type SettingDescription } from './settings-command';
