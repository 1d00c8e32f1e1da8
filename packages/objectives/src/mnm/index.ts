/**
 * MnM (Eysenbach et al. 2022, "Mismatched No More"): the bound, the model's loss and the critic's
 * loss on the augmented reward. The policy's loss is ALM's Eq. 8 (`almPolicyLoss`) with the
 * observation as the latent, and the classifier's and reward model's are ALM's Eq. 9 and 11: the
 * maths is the same (ALM Appendix F), so they are not repeated here.
 */
export { mnmBound, type MnmBoundInputs, type MnmBoundTerms } from './bound';
export { mnmModelLoss, type MnmModelInputs } from './model';
export { mnmAugmentedReward, mnmCriticLoss, type MnmCriticInputs } from './critic';
