/**
 * Milliseconds per gradient update of SAC and TD3 at HalfCheetah sizes (observation 17, action 6),
 * paper networks (256-256) and batch 256, and of ALM with its paper preset (Table 3: batch 512,
 * K = 3, latent 50, 512 / 1024 hidden) at HalfCheetah and Humanoid (observation 376, action 17)
 * sizes, and of MnM with its defaults (ALM's Table 3 sizes, H = 3) next to ALM at HalfCheetah sizes,
 * on the wasm backend (or BENCH_BACKEND). Prints JSON.
 *
 *   npm run bench -w @mbrl-ts/agents
 *   BENCH_ONLY=alm BENCH_ALM_UPDATES=10 npm run bench -w @mbrl-ts/agents
 *
 * SAC-SVG(2), SAC-SVG(3) and SVG(1) with the SAC-SVG authors' configuration (actor and critics
 * 4 x 512, GRU 2 x 512, step batch 1024, sequence batch 512, 4 model steps per update) and with
 * the 'quick' preset, at HalfCheetah sizes:
 *
 *   BENCH_ONLY=svg BENCH_SVG_UPDATES=5 npm run bench -w @mbrl-ts/agents
 *   BENCH_ONLY=svg BENCH_SVG_PRESET=quick npm run bench -w @mbrl-ts/agents    (one preset only)
 *   BENCH_ONLY=mnm BENCH_ALM_UPDATES=10 npm run bench -w @mbrl-ts/agents   (MnM and ALM, HalfCheetah)
 */
import os from 'node:os';
import { tf } from '@mbrl-ts/nn';
import { BACKEND_NAMES, initBackend } from '@mbrl-ts/kernels';
import { defaultsOf, type Agent } from '@mbrl-ts/harness';
import {
  MnmAgent,
  mnmSchema,
  SacAgent,
  sacSchema,
  SacSvgAgent,
  sacSvgPresets,
  sacSvgSchema,
  Svg1Agent,
  svg1Presets,
  svg1Schema,
  Td3Agent,
  td3Schema,
} from '../src';
import { benchAgentOptions, makeAlmAgent } from './alm-setup';
import { envChoice, envInteger } from '../../../tools/bench/settings';

const OBS = 17;
const ACT = 6;
const WARMUP = 20;
const UPDATES = envInteger('BENCH_UPDATES', 200, 1);
const ALM_WARMUP = 2;
const ALM_UPDATES = envInteger('BENCH_ALM_UPDATES', 10, 1);
const ONLY = envChoice('BENCH_ONLY', ['baselines', 'alm', 'svg', 'mnm']);
const SVG_WARMUP = 2;
const SVG_UPDATES = envInteger('BENCH_SVG_UPDATES', 5, 1);
const SVG_PRESET = envChoice('BENCH_SVG_PRESET', ['paper', 'quick']);

interface Timing {
  /** Wall-clock milliseconds per update. */
  msPerUpdate: number;
  /**
   * CPU milliseconds of this process per update (user + system). The wasm backend runs on one
   * thread, so on an idle machine this equals msPerUpdate; on a shared machine it is the number
   * that does not depend on the other load.
   */
  cpuMsPerUpdate: number;
  updates: number;
}

function time(agent: Agent, warmup = WARMUP, updates = UPDATES): Timing {
  for (let i = 0; i < warmup; i++) agent.update(i);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < updates; i++) agent.update(i);
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return {
    msPerUpdate: Number((wall / updates).toFixed(2)),
    cpuMsPerUpdate: Number(((used.user + used.system) / 1000 / updates).toFixed(2)),
    updates,
  };
}

/** A model-based agent's update at ALM's warm-up and update counts; the agent is disposed. */
function timeModelBased(agent: Agent): Timing {
  const result = time(agent, ALM_WARMUP, ALM_UPDATES);
  agent.dispose();
  return result;
}

/** ALM, paper preset, at one task's sizes. */
const timeAlm = (observationSize: number, actionSize: number): Timing =>
  timeModelBased(makeAlmAgent(observationSize, actionSize));

/** MnM with its defaults at one task's sizes. */
const timeMnm = (observationSize: number, actionSize: number): Timing =>
  timeModelBased(
    new MnmAgent({ ...benchAgentOptions(observationSize, actionSize), config: defaultsOf(mnmSchema) }),
  );

const backend = await initBackend(envChoice('BENCH_BACKEND', BACKEND_NAMES) ?? 'wasm');
const common = benchAgentOptions(OBS, ACT);
const baselines: Record<string, unknown> = {};
if (ONLY === undefined || ONLY === 'baselines') {
  const sac = new SacAgent({ ...common, config: defaultsOf(sacSchema) });
  const sacResult = time(sac);
  sac.dispose();
  const td3 = new Td3Agent({ ...common, config: defaultsOf(td3Schema) });
  const td3Result = time(td3);
  td3.dispose();
  Object.assign(baselines, {
    observationSize: OBS,
    actionSize: ACT,
    batchSize: 256,
    hidden: [256, 256],
    sac: sacResult,
    td3: { ...td3Result, note: 'policy delay 2: half the updates also train the actor' },
  });
}
const alm: Record<string, unknown> = {};
if (ONLY === undefined || ONLY === 'alm') {
  Object.assign(alm, {
    preset: 'paper (Table 3: batch 512, K 3, latent 50, hidden 512, model hidden 1024)',
    halfCheetah: { observationSize: 17, actionSize: 6, ...timeAlm(17, 6) },
    humanoid: { observationSize: 376, actionSize: 17, ...timeAlm(376, 17) },
  });
}
const svg: Record<string, unknown> = {};
if (ONLY === undefined || ONLY === 'svg') {
  const timeAgent = (agent: Agent): Timing => {
    const result = time(agent, SVG_WARMUP, SVG_UPDATES);
    agent.dispose();
    return result;
  };
  const paper = defaultsOf(sacSvgSchema);
  const quick = { ...paper, ...sacSvgPresets.quick };
  Object.assign(svg, { observationSize: OBS, actionSize: ACT });
  if (SVG_PRESET === undefined || SVG_PRESET === 'paper') {
    svg.paper = {
      settings:
        'SAC-SVG config: actor/critic 4 x 512, GRU 2 x 512, step batch 1024, sequence batch 512, 4 model steps',
      sacSvg2: timeAgent(new SacSvgAgent({ ...common, config: { ...paper, horizon: 2 } })),
      sacSvg3: timeAgent(new SacSvgAgent({ ...common, config: { ...paper, horizon: 3 } })),
      svg1: timeAgent(new Svg1Agent({ ...common, config: defaultsOf(svg1Schema) })),
    };
  }
  if (SVG_PRESET === undefined || SVG_PRESET === 'quick') {
    svg.quick = {
      settings:
        'quick preset: actor/critic 2 x 256, GRU 2 x 128, step batch 256, sequence batch 128, 2 model steps',
      sacSvg2: timeAgent(new SacSvgAgent({ ...common, config: { ...quick, horizon: 2 } })),
      sacSvg3: timeAgent(new SacSvgAgent({ ...common, config: { ...quick, horizon: 3 } })),
      svg1: timeAgent(
        new Svg1Agent({ ...common, config: { ...defaultsOf(svg1Schema), ...svg1Presets.quick } }),
      ),
    };
  }
}
const mnm: Record<string, unknown> = {};
if (ONLY === 'mnm') {
  Object.assign(mnm, {
    preset: 'defaults (ALM Table 3 sizes: batch 512, H 3, hidden 512, model hidden 1024)',
    halfCheetah: { observationSize: 17, actionSize: 6, ...timeMnm(17, 6) },
    almHalfCheetah: { observationSize: 17, actionSize: 6, ...timeAlm(17, 6) },
  });
}
console.log(
  JSON.stringify({
    backend: backend.name,
    loadAverage: os.loadavg()[0],
    cpus: os.cpus().length,
    simd: backend.simd,
    ...baselines,
    ...(ONLY === 'baselines' || ONLY === 'svg' || ONLY === 'mnm' ? {} : { alm }),
    ...(ONLY === undefined || ONLY === 'svg' ? { svg } : {}),
    ...(ONLY === 'mnm' ? { mnm } : {}),
    tensorsAfter: tf.memory().numTensors,
  }),
);
