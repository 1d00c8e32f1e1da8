/**
 * The bias analysis reads REDQ's and SAC-AVG's ensembles: their Q estimate is the mean over all
 * N members at each state-action pair (env actions mapped to the networks' [-1, 1]).
 */
import { defaultsOf } from '@mbrl-ts/contract';
import { RedqAgent, redqSchema } from '@mbrl-ts/agents';
import { makeEnv } from '@mbrl-ts/envs';
import { initBackend } from '@mbrl-ts/kernels';
import { Rng, tf } from '@mbrl-ts/nn';
import { ReplayBuffer } from '@mbrl-ts/replay';
import { criticEstimates } from '../src/analysis/value-estimates';

it('takes the mean of the N Q-functions of a REDQ agent', async () => {
  await initBackend('wasm', { logger: () => {} });
  const env = await makeEnv('Pendulum-v1');
  const agent = new RedqAgent({
    observationSize: 3,
    actionSize: 1,
    actionLow: [-2],
    actionHigh: [2],
    replay: new ReplayBuffer({ capacity: 1, observationDim: 3, actionDim: 1 }),
    seed: 0,
    config: { ...defaultsOf(redqSchema), ensembleSize: 4, hiddenSize: 8 },
  });
  const observations = Float64Array.of(0.1, 0.2, 0.3, -1, 0.5, 2);
  const actions = Float64Array.of(1, -2); // unit 0.5 and -1
  const q = criticEstimates(agent, env, { observations, actions, n: 2 }, new Rng(0)) as Float64Array;
  const members = tf.tidy(() =>
    agent.critic
      .forward(tf.tensor2d(Float32Array.from(observations), [2, 3]), tf.tensor2d([0.5, -1], [2, 1]))
      .arraySync(),
  ) as number[][];
  for (let b = 0; b < 2; b++) {
    const mean = members.reduce((s, row) => s + row[b], 0) / 4;
    expect(q[b]).toBeCloseTo(mean, 5);
    expect(members.some((row) => Math.abs(row[b] - mean) > 1e-4)).toBe(true); // the members differ
  }
  agent.dispose();
  env.close();
});
