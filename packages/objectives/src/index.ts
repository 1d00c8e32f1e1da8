export type {
  DeterministicPolicy,
  FirstQ,
  Metric,
  ObjectiveResult,
  StochasticPolicy,
  TransitionTensors,
  TwinQ,
} from './types';
export { bellmanTarget, twinSquaredError } from './bellman';
export { sacCriticLoss, sacSoftTarget, type SacCriticInputs } from './sac-critic';
export { sacActorLoss, type SacActorInputs } from './sac-actor';
export { defaultTargetEntropy, sacTemperatureLoss, type SacTemperatureInputs } from './sac-temperature';
export { smoothedTargetAction, td3CriticLoss, td3Target, type Td3CriticInputs } from './td3-critic';
export { td3ActorLoss, type Td3ActorInputs } from './td3-actor';
export {
  ensembleActorLoss,
  ensembleSoftTarget,
  redqCriticLoss,
  redqTarget,
  sacAvgCriticLoss,
  sacAvgTarget,
  type EnsembleActorInputs,
  type EnsembleCriticInputs,
  type EnsembleQ,
  type EnsembleReduction,
} from './ensemble-critic';
export {
  chooseElites,
  ensembleHeldOutError,
  gaussianEnsembleLoss,
  type GaussianEnsemble,
  type GaussianEnsembleInputs,
} from './gaussian-ensemble';
export { readMetrics } from './metrics';
export * from './alm/index';
export * from './mnm/index';
export * from './svg/index';
