// Type-checked with skipLibCheck: false: our declarations, and what they import, compile.
import { makeEnv, type Env, type MjModel } from '@mbrl-ts/envs';
import { tf, Linear } from '@mbrl-ts/nn';
import { Rng } from '@mbrl-ts/rng';
import { ReplayBuffer, type Transition } from '@mbrl-ts/replay';
import * as agents from '@mbrl-ts/agents';
import * as contract from '@mbrl-ts/contract';
import * as evaluation from '@mbrl-ts/eval';
import * as harness from '@mbrl-ts/harness';
import * as kernels from '@mbrl-ts/kernels';
import * as models from '@mbrl-ts/models';
import * as objectives from '@mbrl-ts/objectives';
import * as viewer from '@mbrl-ts/viewer';

export async function firstStep(id: string): Promise<number> {
  const env: Env = await makeEnv(id);
  const { obs } = env.reset({ seed: 0 });
  const reward: number = env.step(new Float64Array(env.actionSpace.shape[0])).reward;
  const buffer = new ReplayBuffer({ capacity: 4, observationDim: obs.length, actionDim: 1 });
  const t: Transition | null = null;
  void t;
  void buffer;
  env.close();
  return reward;
}

export function forward(x: number[]): tf.Tensor {
  const layer = new Linear(x.length, 1, { rng: new Rng(0) });
  return layer.forward(tf.tensor2d([x]));
}

export type Bodies = MjModel['nbody'];
export const namespaces = [agents, contract, evaluation, harness, kernels, models, objectives, viewer];
