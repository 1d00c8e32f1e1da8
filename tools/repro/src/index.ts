export {
  ALGORITHMS,
  algorithmEntry,
  availableAlgorithms,
  PROGRAMS,
  selectAlgorithms,
  type AlgorithmEntry,
} from './algorithms';
export { runRepro, VERSION } from './cli';
export { ReproInputError, RunDirectoryProblem } from './errors';
export {
  planGrid,
  readGridManifest,
  runDirectory,
  writeGridManifest,
  type GridManifest,
  type GridRun,
} from './grid';
export { PAPER_TABLE1, paperValue, type PaperValue } from './paper-table1';
export { runGrid, summarizeOutcomes, type GridResult, type RunOutcome } from './runner';
export { TABLE1_TASKS, paperTaskName } from './tasks';
export {
  ABLATION_SETS,
  ABLATION_VARIANTS,
  selectSets,
  variantsOf,
  type AblationSet,
  type AblationVariant,
} from './ablations/variants';
export { writeAblationReport, type AblationReport, type SetReport } from './ablations/ablation-report';
export { biasStatistics, type BiasStatistics } from './analysis/bias-stats';
export {
  discountedReturns,
  monteCarloSample,
  type EpisodeRecord,
  type MonteCarloSample,
} from './analysis/monte-carlo';
export { latentSpread, noChangeDistances, stepDistances, summarizeSteps } from './analysis/rollout-errors';
export { loadRun, type LoadedRun } from './analysis/load-run';
