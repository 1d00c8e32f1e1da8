export { defineAlgorithm, type AgentContext, type AlgorithmSpec } from './algorithms';
export { isInputError, reportFailure, UsageError, type FailureReport } from './errors';
export { buildProgram, runCli, type CliOptions, type CliOutcome, type RunConfig } from './program';
