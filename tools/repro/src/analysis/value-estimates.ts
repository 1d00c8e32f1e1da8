/**
 * The value estimates whose bias the analysis measures, for N state-action pairs (actions in the
 * env's bounds):
 *
 * - `q`: the critic's clipped double-Q value min(Q1, Q2)(s, a), the value the agent bootstraps
 *   from. SAC and TD3: on the observation. ALM: on z ~ e_target(. | s), the latent its critic is
 *   trained on (Appendix D), sampled with the analysis's own Rng.
 * - `q` for an ensemble of Q-functions (REDQ, SAC-AVG, whose critic returns [N, B]): the mean over
 *   all N members, the estimate REDQ's bias analysis reports (Chen et al. 2021, Sec. 3) and the
 *   value their actor maximises.
 * - `lowerBound` (ALM only): the K-step lower bound of Figures 4 and 8, `AlmAgent.lowerBound`.
 *
 * The networks take actions in [-1, 1]; the env's actions are mapped with the env's bounds.
 */
import { ActionScaling, AlmAgent } from '@mbrl-ts/agents';
import type { Agent } from '@mbrl-ts/harness';
import { Rng, tf } from '@mbrl-ts/nn';
import type { Env } from '@mbrl-ts/envs';

/** The part of a twin critic an estimate needs (SAC's and TD3's TwinQCritic). */
interface TwinCritic {
  minimum(observation: tf.Tensor, action: tf.Tensor): tf.Tensor;
}

/** An ensemble of N Q-functions: [N, B] values (REDQ's and SAC-AVG's QEnsemble). */
interface EnsembleCritic {
  readonly ensembleSize: number;
  forward(observation: tf.Tensor, action: tf.Tensor): tf.Tensor;
}

function twinCriticOf(agent: Agent): TwinCritic | undefined {
  const critic = (agent as { critic?: unknown }).critic;
  if (typeof critic === 'object' && critic !== null && typeof (critic as TwinCritic).minimum === 'function')
    return critic as TwinCritic;
  const ensemble = critic as EnsembleCritic | null | undefined;
  if (typeof ensemble?.ensembleSize === 'number' && typeof ensemble.forward === 'function')
    return { minimum: (o, a) => tf.tidy(() => tf.mean(ensemble.forward(o, a), 0)) };
  return undefined;
}

export interface EstimateInput {
  readonly observations: Float64Array;
  readonly actions: Float64Array;
  readonly n: number;
}

/** min(Q1, Q2) for every pair; undefined when the agent has no twin critic this analysis knows. */
export function criticEstimates(
  agent: Agent,
  env: Env,
  input: EstimateInput,
  rng: Rng,
): Float64Array | undefined {
  const critic = twinCriticOf(agent);
  if (!critic) return undefined;
  const obsSize = env.observationSpace.shape[0];
  const actSize = env.actionSpace.shape[0];
  const scaling = new ActionScaling(env.actionSpace.low, env.actionSpace.high);
  const unit = scaling.toUnitInPlace(Float32Array.from(input.actions));
  const q = tf.tidy(() => {
    const observation = tf.tensor2d(Float32Array.from(input.observations), [input.n, obsSize]);
    const action = tf.tensor2d(unit, [input.n, actSize]);
    const features =
      agent instanceof AlmAgent ? agent.targetEncoder.distribution(observation).rsample(rng) : observation;
    return critic.minimum(features, action);
  });
  const values = Float64Array.from(q.dataSync());
  q.dispose();
  return values;
}

/** ALM's K-step lower bound for every pair; undefined for other agents. */
export function lowerBoundEstimates(agent: Agent, input: EstimateInput): Float64Array | undefined {
  if (!(agent instanceof AlmAgent)) return undefined;
  return agent.lowerBound(input.observations, input.actions);
}
