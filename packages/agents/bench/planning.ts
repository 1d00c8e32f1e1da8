/**
 * Planning time per environment step of the MPC agent (`mbrl-baselines train --algo mpc`): one
 * act() is one plan (CEM or random shooting through the bootstrap ensemble by trajectory
 * sampling), at Pendulum sizes (observation 3, action 1, the task's reward) and HalfCheetah sizes
 * (observation 17, action 6, learned reward), with the PETS defaults ('paper') and the 'small'
 * preset; also one refit epoch over 1000 transitions. Prints JSON.
 *
 *   npm run bench:planning -w @mbrl-ts/agents
 *   BENCH_PLANS=5 BENCH_PRESET=small npm run bench:planning -w @mbrl-ts/agents
 *
 * Model FLOPs per plan count the multiply-adds of the layers' products (2 per weight per row per
 * horizon step); the achieved GFLOP/s divides them by the wall time of the whole plan (sampling,
 * rewards and the elite refit included).
 */
import os from 'node:os';
import { envChoice, envInteger } from '@mbrl-ts/bench-settings';
import { defaultsOf } from '@mbrl-ts/contract';
import { BACKEND_NAMES, initBackend } from '@mbrl-ts/kernels';
import { Rng, tf } from '@mbrl-ts/nn';
import { ReplayBuffer } from '@mbrl-ts/replay';
import { MpcAgent, mpcPresets, mpcSchema, taskRewardFor, type MpcConfig } from '../src';

const PLANS = envInteger('BENCH_PLANS', 3, 1);
const PRESET = envChoice('BENCH_PRESET', ['paper', 'small']);
const PLANNER = envChoice('BENCH_PLANNER', ['cem', 'random']);
const ROWS = 1000;

const TASKS = [
  { env: 'Pendulum-v1', observationSize: 3, actionSize: 1, low: -2, high: 2 },
  { env: 'HalfCheetah-v4', observationSize: 17, actionSize: 6, low: -1, high: 1 },
] as const;

function filledReplay(obs: number, act: number, rng: Rng): ReplayBuffer {
  const replay = new ReplayBuffer({ capacity: ROWS, observationDim: obs, actionDim: act });
  for (let i = 0; i < ROWS; i++) {
    replay.add({
      observation: rng.fillNormal(new Float64Array(obs)),
      action: rng.fillUniform(new Float64Array(act), -1, 1),
      reward: rng.normal(),
      nextObservation: rng.fillNormal(new Float64Array(obs)),
      terminated: false,
    });
  }
  return replay;
}

function modelFlopsPerPlan(config: MpcConfig, agent: MpcAgent): number {
  const { inputSize, outputSize, hiddenSizes, probabilistic } = agent.ensemble;
  const sizes = [inputSize, ...hiddenSizes, probabilistic ? 2 * outputSize : outputSize];
  let weights = 0;
  for (let l = 0; l + 1 < sizes.length; l++) weights += sizes[l] * sizes[l + 1];
  const iterations = config.planner === 'cem' ? config.iterations : 1;
  return 2 * weights * config.candidates * config.particles * config.horizon * iterations;
}

async function main(): Promise<void> {
  const backend = await initBackend(envChoice('BENCH_BACKEND', BACKEND_NAMES) ?? 'wasm', {
    logger: () => {},
  });
  const results = [];
  for (const task of TASKS) {
    for (const preset of PRESET ? [PRESET] : (['paper', 'small'] as const)) {
      for (const planner of PLANNER ? [PLANNER] : (['cem', 'random'] as const)) {
        const config: MpcConfig = {
          ...defaultsOf(mpcSchema),
          ...(preset === 'small' ? mpcPresets.small : {}),
          planner,
          epochs: 1,
        };
        const rng = new Rng(1);
        const replay = filledReplay(task.observationSize, task.actionSize, rng);
        const agent = new MpcAgent({
          observationSize: task.observationSize,
          actionSize: task.actionSize,
          actionLow: new Array(task.actionSize).fill(task.low),
          actionHigh: new Array(task.actionSize).fill(task.high),
          replay,
          seed: 0,
          config,
          taskReward: taskRewardFor(task.env),
        });
        const fitStart = performance.now();
        agent.update(1);
        const fitMs = performance.now() - fitStart;
        const obs = rng.fillNormal(new Float64Array(task.observationSize));
        agent.act(obs, { step: 0, deterministic: false });
        const cpu = process.cpuUsage();
        const start = performance.now();
        for (let i = 0; i < PLANS; i++) agent.act(obs, { step: i, deterministic: false });
        const ms = (performance.now() - start) / PLANS;
        const used = process.cpuUsage(cpu);
        const flops = modelFlopsPerPlan(config, agent);
        results.push({
          env: task.env,
          preset,
          planner,
          reward: agent.taskReward ? 'task' : 'learned',
          horizon: config.horizon,
          candidates: config.candidates,
          iterations: planner === 'cem' ? config.iterations : 1,
          particles: config.particles,
          members: config.members,
          hidden: `${config.hiddenLayers}x${config.hiddenSize}`,
          msPerStep: Number(ms.toFixed(1)),
          cpuMsPerStep: Number(((used.user + used.system) / 1000 / PLANS).toFixed(1)),
          modelGflopPerStep: Number((flops / 1e9).toFixed(3)),
          gflopsAchieved: Number((flops / 1e9 / (ms / 1000)).toFixed(1)),
          refitMsPerEpochOf1000Rows: Number(fitMs.toFixed(0)),
          plans: PLANS,
        });
        agent.dispose();
      }
    }
  }
  console.log(
    JSON.stringify(
      {
        bench: 'mpc planning per environment step',
        date: new Date().toISOString(),
        node: process.version,
        cpu: os.cpus()[0]?.model,
        cores: os.cpus().length,
        loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
        backend,
        tensorsLeft: tf.memory().numTensors,
        results,
      },
      null,
      1,
    ),
  );
}

await main();
