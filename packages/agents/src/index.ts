export { SacAgent } from './sac/sac-agent';
export { sacSchema, type SacConfig } from './sac/config';
export { Td3Agent } from './td3/td3-agent';
export { td3Schema, type Td3Config } from './td3/config';
export {
  almAlgorithm,
  almAlgorithmWith,
  mnmAlgorithmWith,
  sacAlgorithmWith,
  sacSvgAlgorithmWith,
  svg1AlgorithmWith,
  td3AlgorithmWith,
  type AlmVariantOptions,
  type VariantOptions,
  baselineAlgorithms,
  mnmAlgorithm,
  mpcAlgorithm,
  sacAlgorithm,
  sacSvgAlgorithm,
  svg1Algorithm,
  td3Algorithm,
} from './algorithms';
export { redqAlgorithm, redqAlgorithmWith, sacAvgAlgorithm, sacAvgAlgorithmWith } from './algorithms';
export {
  EnsembleSacAgent,
  randomSubset,
  RedqAgent,
  REDQ_TERMS,
  SAC_AVG_TERMS,
  SacAvgAgent,
  type EnsembleSacTerms,
} from './redq/redq-agent';
export {
  redqPresets,
  redqSchema,
  sacAvgPresets,
  sacAvgSchema,
  type RedqConfig,
  type SacAvgConfig,
} from './redq/config';
export { mbpoAlgorithm, mbpoAlgorithmWith } from './algorithms';
export {
  MBPO_TERMS,
  MbpoAgent,
  modelBufferCapacity,
  modelWeightDecays,
  realRows,
  type MbpoAgentOptions,
  type MbpoTerms,
} from './mbpo/mbpo-agent';
export { mbpoPresets, mbpoSchema, type MbpoConfig } from './mbpo/config';
export {
  dynamicsData,
  InputNormalizer,
  trainDynamics,
  type DynamicsData,
  type DynamicsTrainingResult,
  type DynamicsTrainingSettings,
} from './mbpo/dynamics-training';
export { MBPO_TASKS, mbpoTask, rolloutLength, type MbpoTask, type RolloutSchedule } from './mbpo/tasks';
export { SacSvgAgent } from './svg/sac-svg-agent';
export { Svg1Agent } from './svg/svg1-agent';
export {
  sacSvgPresets,
  sacSvgSchema,
  svg1Presets,
  svg1Schema,
  type SacSvgConfig,
  type Svg1Config,
} from './svg/config';
export { ObservationNormalizer } from './svg/observation-normalizer';
export { MnmAgent } from './mnm/mnm-agent';
export { mnmPresets, mnmSchema, type MnmConfig } from './mnm/config';
export { AlmAgent, type AlmUpdateTensors } from './alm/alm-agent';
export {
  almPresets,
  almReplayCapacity,
  almSchema,
  almSchemaWith,
  explorationStd,
  type AlmConfig,
} from './alm/config';
export {
  ALM_TERM_CHOICES,
  almTermFields,
  chooseAlmTerms,
  withAlmTerms,
  type AlmTermChoices,
  type AlmTermKey,
  type AlmTermNames,
  type AlmTerms,
} from './alm/terms';
export { ActionScaling } from './action-scaling';
export {
  agentState,
  AgentStateError,
  AGENT_STATE_VERSION,
  loadAgentFiles,
  saveAgentFiles,
  type AgentFiles,
  type AgentIdentity,
  type AgentState,
} from './agent-files';
export { actionScalingFor, agentRngs, clipSetting, hiddenSizes, type AgentOptions } from './agent-options';
export { CheckpointedAgent } from './checkpointed-agent';
export { minimizeDeferred, minimizeObjective, type DeferredStep } from './minimize';
export { LearnedTemperature, type LearnedTemperatureOptions } from './temperature';
export { deriveSeed } from './seeds';
export { disposeTransitionTensors, transitionTensors } from './transition-tensors';
export { loadAgent, type LoadAgentOptions, type LoadedAgent } from './load-agent';
export {
  MNM_TERMS,
  SAC_SVG_TERMS,
  SAC_TERMS,
  SVG1_TERMS,
  TD3_TERMS,
  withTerms,
  type MnmTerms,
  type Objective,
  type SacSvgTerms,
  type SacTerms,
  type Svg1Terms,
  type Td3Terms,
} from './terms';
export {
  crossEntropyMethod,
  fitElites,
  randomShooting,
  refitGaussian,
  shiftPlan,
  type CrossEntropyOptions,
  type Plan,
  type Planner,
  type PlanningProblem,
  type RandomShootingOptions,
  type SequenceGaussian,
} from './mpc/planners';
export { MpcAgent, plannerFor, type MpcAgentOptions } from './mpc/mpc-agent';
export { mpcPresets, mpcSchema, type MpcConfig } from './mpc/config';
export {
  bootstrapIndices,
  BootstrapEnsemble,
  fitBootstrapEnsemble,
  gatherMemberRows,
  shuffleInPlace,
  type BootstrapEnsembleOptions,
  type EnsembleData,
  type EnsembleFitOptions,
  type EnsemblePrediction,
} from './mpc/bootstrap-ensemble';
export { shapedRewardFor, taskRewardFor, type TaskReward } from './mpc/task-rewards';
export {
  assignParticles,
  trajectorySamplingReturns,
  type TrajectorySamplingOptions,
} from './mpc/trajectory-sampling';
