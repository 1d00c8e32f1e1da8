export type {
  ActionDistribution,
  LatentClassifier,
  LatentDynamics,
  LatentEncoder,
  LatentPolicy,
  LatentReward,
  PolicyNoise,
} from './types';
export { stopGradient } from './stop-gradient';
export { discountWeights, lambdaReturns } from './lambda-returns';
export { applyTransform, logRewardTransform, type ValueTransform } from './reward-transform';
export {
  almEncoderModelLoss,
  type AlmEncoderModelInputs,
  type AlmEncoderModelObjective,
  type AlmEncoderModelTerms,
} from './encoder-model';
export {
  almPolicyLoss,
  almTd3PolicyLoss,
  imagineRollout,
  type AlmPolicyInputs,
  type AlmPolicyObjective,
  type AlmPolicyTerms,
  type AlmTd3PolicyInputs,
  type ImaginedRollout,
} from './policy';
export { almClassifierLoss, halfRealMask, type AlmClassifierInputs } from './classifier';
export { almCriticLoss, almCriticTarget, type AlmCriticInputs, type AlmCriticTargetTerm } from './critic';
export {
  logOddsClassifierReward,
  minQValue,
  noValue,
  type ClassifierRewardTerm,
  type RolloutValueTerm,
} from './terms';
export { almRewardLoss, type AlmRewardInputs } from './reward';
