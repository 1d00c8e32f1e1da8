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
