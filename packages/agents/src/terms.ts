/**
 * The baselines' objectives as values, the papers' as defaults: an agent takes `Partial<...Terms>`
 * at construction (the second argument) and `agent.terms` holds what it uses. A variant with
 * other values becomes an algorithm of its own name with `baselineAlgorithmWith` (its name is
 * written to config.json and state.json, and seeds the agent's streams). ALM's terms, which the
 * config also names, are in alm/terms.ts.
 */
import {
  almPolicyLoss,
  mnmModelLoss,
  sacActorLoss,
  sacCriticLoss,
  sacSvgActorLoss,
  svg1ActorLoss,
  svg1ValueLoss,
  td3ActorLoss,
  td3CriticLoss,
  type AlmPolicyObjective,
  type MnmModelInputs,
  type ObjectiveResult,
  type SacActorInputs,
  type SacCriticInputs,
  type Svg1ActorInputs,
  type Svg1ValueInputs,
  type Td3ActorInputs,
  type Td3CriticInputs,
  type ValueExpansionInputs,
} from '@mbrl-ts/objectives';

/** An objective of `I`: its loss and metrics. */
export type Objective<I> = (inputs: I) => ObjectiveResult;

export interface SacTerms {
  /** The critics' soft TD loss (SAC v2 Eq. 5-6). */
  readonly criticLoss: Objective<SacCriticInputs>;
  /** The actor's loss (SAC v2 Eq. 7); it must report `log_prob_mean` for the temperature. */
  readonly actorLoss: Objective<SacActorInputs>;
}
export const SAC_TERMS: SacTerms = { criticLoss: sacCriticLoss, actorLoss: sacActorLoss };

export interface Td3Terms {
  readonly criticLoss: Objective<Td3CriticInputs>;
  readonly actorLoss: Objective<Td3ActorInputs>;
}
export const TD3_TERMS: Td3Terms = { criticLoss: td3CriticLoss, actorLoss: td3ActorLoss };

export interface SacSvgTerms {
  readonly criticLoss: Objective<SacCriticInputs>;
  /** The H-step value expansion through the model (after the model-free warm-up). */
  readonly actorLoss: Objective<ValueExpansionInputs>;
  /** The actor's loss during the model-free warm-up. */
  readonly modelFreeActorLoss: Objective<SacActorInputs>;
}
export const SAC_SVG_TERMS: SacSvgTerms = {
  criticLoss: sacCriticLoss,
  actorLoss: sacSvgActorLoss,
  modelFreeActorLoss: sacActorLoss,
};

export interface Svg1Terms {
  readonly valueLoss: Objective<Svg1ValueInputs>;
  readonly actorLoss: Objective<Svg1ActorInputs>;
}
export const SVG1_TERMS: Svg1Terms = { valueLoss: svg1ValueLoss, actorLoss: svg1ActorLoss };

export interface MnmTerms {
  /** The model's objective: the bound plus k_MLE times the likelihood of real next observations. */
  readonly modelLoss: Objective<MnmModelInputs>;
  /** The policy's objective: ALM's Eq. 8 with the observation as the latent. */
  readonly actorLoss: AlmPolicyObjective;
}
export const MNM_TERMS: MnmTerms = { modelLoss: mnmModelLoss, actorLoss: almPolicyLoss };

/** `defaults` with the given values in their place; a key that is not a term, or not a function, is an error. */
export function withTerms<T extends object>(agent: string, defaults: T, terms: Partial<T>): T {
  for (const [key, value] of Object.entries(terms)) {
    if (!Object.hasOwn(defaults, key)) {
      throw new TypeError(`${agent}: "${key}" is not one of its terms (${Object.keys(defaults).join(', ')})`);
    }
    if (typeof value !== 'function') {
      throw new TypeError(`${agent}: term "${key}" must be a function, got ${typeof value}`);
    }
  }
  return { ...defaults, ...terms };
}
