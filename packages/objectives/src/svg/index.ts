export type { RecurrentDynamics, StateActionFunction, StateValueFunction } from './types';
export { svgDynamicsLoss, type SvgDynamicsInputs } from './dynamics';
export { svgRewardLoss, type SvgRewardInputs } from './reward';
export { donePositiveWeight, svgDoneLoss, type SvgDoneInputs } from './done';
export { scheduledTargetEntropy, type TargetEntropySchedule } from './target-entropy';
export {
  sacSvgActorLoss,
  stochasticValueExpansion,
  type ValueExpansion,
  type ValueExpansionInputs,
} from './value-expansion';
export { svg1ActorLoss, svg1ValueLoss, type Svg1ActorInputs, type Svg1ValueInputs } from './svg1';
