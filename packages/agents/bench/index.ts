/**
 * Milliseconds per gradient update of SAC and TD3 at HalfCheetah sizes (observation 17, action 6),
 * paper networks (256-256) and batch 256, on the wasm backend (or BENCH_BACKEND). Prints JSON.
 *
 *   npm run bench -w @mbrl-ts/agents
 */
import { initBackend, Rng, tf, type BackendName } from '@mbrl-ts/nn';
import { defaultsOf, type Agent } from '@mbrl-ts/harness';
import { ReplayBuffer } from '@mbrl-ts/replay';
import { SacAgent, sacSchema, Td3Agent, td3Schema } from '../src';

const OBS = 17;
const ACT = 6;
const WARMUP = 20;
const UPDATES = Number(process.env.BENCH_UPDATES ?? 200);

function filledReplay(): ReplayBuffer {
  const replay = new ReplayBuffer({ capacity: 10_000, observationDim: OBS, actionDim: ACT });
  const rng = new Rng(1);
  for (let i = 0; i < 10_000; i++) {
    replay.add({
      observation: rng.fillNormal(new Float64Array(OBS)),
      action: rng.fillUniform(new Float32Array(ACT), -1, 1),
      reward: rng.normal(),
      nextObservation: rng.fillNormal(new Float64Array(OBS)),
      terminated: false,
      truncated: (i + 1) % 1000 === 0,
    });
  }
  return replay;
}

function time(agent: Agent): { msPerUpdate: number; updates: number } {
  for (let i = 0; i < WARMUP; i++) agent.update(i);
  const start = performance.now();
  for (let i = 0; i < UPDATES; i++) agent.update(i);
  return { msPerUpdate: Number(((performance.now() - start) / UPDATES).toFixed(2)), updates: UPDATES };
}

const backend = await initBackend((process.env.BENCH_BACKEND as BackendName | undefined) ?? 'wasm');
const replay = filledReplay();
const common = {
  observationSize: OBS,
  actionSize: ACT,
  actionLow: new Array(ACT).fill(-1),
  actionHigh: new Array(ACT).fill(1),
  replay,
  seed: 0,
};
const sac = new SacAgent({ ...common, config: defaultsOf(sacSchema) });
const sacResult = time(sac);
sac.dispose();
const td3 = new Td3Agent({ ...common, config: defaultsOf(td3Schema) });
const td3Result = time(td3);
td3.dispose();
console.log(
  JSON.stringify({
    backend: backend.name,
    simd: backend.simd,
    observationSize: OBS,
    actionSize: ACT,
    batchSize: 256,
    hidden: [256, 256],
    sac: sacResult,
    td3: { ...td3Result, note: 'policy delay 2: half the updates also train the actor' },
    tensorsAfter: tf.memory().numTensors,
  }),
);
