// An ESM consumer of the installed tarballs: every package imports, and the pieces work together.
import { makeEnv } from '@mbrl-ts/envs';
import { tf, Linear } from '@mbrl-ts/nn';
import { Rng } from '@mbrl-ts/rng';
import { ReplayBuffer } from '@mbrl-ts/replay';
import * as agents from '@mbrl-ts/agents';
import * as contract from '@mbrl-ts/contract';
import * as evaluation from '@mbrl-ts/eval';
import * as harness from '@mbrl-ts/harness';
import * as kernels from '@mbrl-ts/kernels';
import * as models from '@mbrl-ts/models';
import * as objectives from '@mbrl-ts/objectives';
import * as viewer from '@mbrl-ts/viewer';

const env = await makeEnv('HalfCheetah-v4');
const { obs } = env.reset({ seed: 3 });
const action = new Float64Array(env.actionSpace.shape[0]).fill(0.25);
const step = env.step(action);
const buffer = new ReplayBuffer({ capacity: 8, observationDim: obs.length, actionDim: action.length });
buffer.add({
  observation: obs,
  action,
  reward: step.reward,
  nextObservation: step.obs,
  terminated: step.terminated,
  truncated: step.truncated,
});
env.close();

await tf.setBackend('cpu');
const layer = new Linear(obs.length, 2, { rng: new Rng(0) });
const out = tf.tidy(() => Array.from(layer.forward(tf.tensor2d([Array.from(obs)])).dataSync()));
const namespaces = { agents, contract, evaluation, harness, kernels, models, objectives, viewer };
console.log(
  JSON.stringify({
    obs: obs.length,
    reward: step.reward,
    stored: buffer.size,
    out: out.length,
    finite: out.every(Number.isFinite),
    empty: Object.entries(namespaces)
      .filter(([, m]) => Object.keys(m).length === 0)
      .map(([n]) => n),
  }),
);
