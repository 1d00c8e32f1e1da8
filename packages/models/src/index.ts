export { TwinQCritic, type TwinQCriticOptions } from './twin-q-critic';
export {
  LOG_STD_MAX,
  LOG_STD_MIN,
  logOneMinusTanhSquared,
  SquashedGaussianActor,
  type SquashedGaussianActorOptions,
  type SquashedSample,
} from './squashed-gaussian-actor';
export { DeterministicActor, type DeterministicActorOptions } from './deterministic-actor';
export { Encoder, type EncoderOptions } from './alm/encoder';
export { LatentModel, type LatentModelOptions } from './alm/latent-model';
export { RewardModel, type RewardModelOptions } from './alm/reward-model';
export { Classifier, type ClassifierOptions } from './alm/classifier';
export { LatentActor, type LatentActorOptions } from './alm/latent-actor';
export { DynamicsModel, type DynamicsModelOptions } from './mnm/dynamics-model';
export { GruCell, GruStack } from './svg/gru';
export {
  ObservationDynamics,
  type DynamicsStep,
  type ObservationDynamicsOptions,
} from './svg/observation-dynamics';
export { StateActionHead, type StateActionHeadOptions } from './svg/state-action-head';
export { StateValue, type StateValueOptions } from './svg/state-value';
export { EnsembleLinear, type EnsembleLinearInit } from './ensemble/ensemble-linear';
export { QEnsemble, type QEnsembleOptions } from './ensemble/q-ensemble';
export {
  MBPO_INITIAL_MAX_LOG_VAR,
  MBPO_INITIAL_MIN_LOG_VAR,
  ProbabilisticEnsemble,
  type EnsemblePrediction,
  type ProbabilisticEnsembleOptions,
} from './ensemble/probabilistic-ensemble';
