/**
 * ALM's swappable terms, chosen once when the agent is built. Each term has named values; the
 * config key of the same name picks one (`--set valueTerm=none`, or a config file), and config.json
 * records the name. The paper's value of each is the default:
 *
 *   encoderModelLoss  Eq. 7 (the encoder and model's bound)            'eq7'
 *   classifierReward  Eq. 8's intrinsic reward log C/(1-C)             'log-odds'
 *   valueTerm         the value at the rollout's end (Eq. 7, bound)    'min-q' | 'none' (Figure 5a)
 *   criticTarget      Eq. 10's TD target                               'td'
 *   actorLoss         Eq. 8 with lambda-returns, or ALM-TD3            'svg' | 'td3' (Figure 5c)
 *
 * Coefficients stay numbers: klCoefficient 0 is "no KL term", classifierCoefficient 0 "no
 * classifier reward". A variant adds a named value with `withAlmTerms` (or `almAlgorithmWith`,
 * which also makes it settable from the CLI); the built-in names cannot be replaced.
 */
import { ConfigError, type EnumField } from '@mbrl-ts/contract';
import {
  almCriticTarget,
  almEncoderModelLoss,
  almPolicyLoss,
  almTd3PolicyLoss,
  logOddsClassifierReward,
  minQValue,
  noValue,
  type AlmCriticTargetTerm,
  type AlmEncoderModelObjective,
  type AlmPolicyObjective,
  type ClassifierRewardTerm,
  type RolloutValueTerm,
} from '@mbrl-ts/objectives';

/** The values an AlmAgent computes its update and its lower bound with. */
export interface AlmTerms {
  /** Eq. 7: the encoder and the model's objective. */
  readonly encoderModelLoss: AlmEncoderModelObjective;
  /** Eq. 8 (and the lower bound): the classifier's reward, weighed by classifierCoefficient. */
  readonly classifierReward: ClassifierRewardTerm;
  /** Eq. 7 (and the lower bound): the value at the end of a K-step rollout. */
  readonly valueTerm: RolloutValueTerm;
  /** Eq. 10: the critics' TD target. */
  readonly criticTarget: AlmCriticTargetTerm;
  /** Eq. 8 or ALM-TD3: the policy's objective. */
  readonly actorLoss: AlmPolicyObjective;
}

export type AlmTermKey = keyof AlmTerms;

/** Named values for each term; the config key of the same name picks one. */
export type AlmTermChoices = { readonly [K in AlmTermKey]: Readonly<Record<string, AlmTerms[K]>> };

/** The names each term's config key takes. */
export type AlmTermNames = { readonly [K in AlmTermKey]: string };

/** The built-in values, each term's first the paper's. */
export const ALM_TERM_CHOICES: AlmTermChoices = {
  encoderModelLoss: { eq7: almEncoderModelLoss },
  classifierReward: { 'log-odds': logOddsClassifierReward },
  valueTerm: { 'min-q': minQValue, none: noValue },
  criticTarget: { td: almCriticTarget },
  actorLoss: { svg: almPolicyLoss, td3: almTd3PolicyLoss },
};

const TERM_KEYS = Object.keys(ALM_TERM_CHOICES) as AlmTermKey[];
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** The built-in values plus `extra` (new names only: a built-in name cannot be rebound). */
export function withAlmTerms(extra: {
  readonly [K in AlmTermKey]?: Readonly<Record<string, AlmTerms[K]>>;
}): AlmTermChoices {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const key of TERM_KEYS) merged[key] = { ...ALM_TERM_CHOICES[key] };
  for (const [key, values] of Object.entries(extra)) {
    if (!TERM_KEYS.includes(key as AlmTermKey)) {
      throw new TypeError(`withAlmTerms: "${key}" is not an ALM term (terms: ${TERM_KEYS.join(', ')})`);
    }
    for (const [name, value] of Object.entries(values ?? {})) {
      if (!NAME_PATTERN.test(name)) {
        throw new TypeError(
          `withAlmTerms: ${key} name "${name}" must be lower-case letters, digits and dashes (it is typed after --set ${key}=)`,
        );
      }
      if (Object.hasOwn(merged[key], name)) {
        throw new TypeError(
          `withAlmTerms: ${key} "${name}" is already a value (${Object.keys(merged[key]).join(', ')}); pick another name`,
        );
      }
      if (typeof value !== 'function') {
        throw new TypeError(`withAlmTerms: ${key} "${name}" must be a function, got ${typeof value}`);
      }
      merged[key][name] = value;
    }
  }
  return merged as unknown as AlmTermChoices;
}

const TERM_DOCS: { readonly [K in AlmTermKey]: string } = {
  encoderModelLoss: "Eq. 7, the encoder and model's objective: 'eq7' (the paper's)",
  classifierReward:
    "Eq. 8's classifier reward, weighed by classifierCoefficient: 'log-odds' = log C/(1-C) (the paper's); classifierCoefficient 0 drops it (Figure 5a)",
  valueTerm:
    "the value at the rollout's end in Eq. 7 and the lower bound: 'min-q' = min(Q1, Q2)(z_K, a_K) (the paper's); 'none' drops it (Figure 5a)",
  criticTarget: "Eq. 10's TD target: 'td' = r + gamma (1 - d) min Q_target(z', a') (the paper's)",
  actorLoss:
    "policy objective: 'svg' = Eq. 8 with lambda-returns (ALM); 'td3' = -min Q(z, pi(z)) (ALM-TD3, Figure 5c)",
};

/** The schema fields that pick each term by name, listing what `choices` holds. */
export function almTermFields(choices: AlmTermChoices): { readonly [K in AlmTermKey]: EnumField<string> } {
  const fields = {} as Record<AlmTermKey, EnumField<string>>;
  for (const key of TERM_KEYS) {
    const values = Object.keys(choices[key]);
    fields[key] = {
      kind: 'enum',
      values,
      default: Object.keys(ALM_TERM_CHOICES[key])[0],
      doc: TERM_DOCS[key],
    };
  }
  return fields;
}

/** The values the names of `config` pick; a name `choices` does not hold is a ConfigError. */
export function chooseAlmTerms(config: AlmTermNames, choices: AlmTermChoices = ALM_TERM_CHOICES): AlmTerms {
  const picked = {} as Record<AlmTermKey, unknown>;
  for (const key of TERM_KEYS) {
    const name = config[key];
    const values = choices[key] as Readonly<Record<string, unknown>>;
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (typeof value !== 'function') {
      throw new ConfigError(
        `ALM: ${key} "${name}" is not a value of this build (values: ${Object.keys(choices[key]).join(', ')}); register it with withAlmTerms or almAlgorithmWith`,
      );
    }
    picked[key] = value;
  }
  return picked as unknown as AlmTerms;
}
