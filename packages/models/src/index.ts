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
