/**
 * The viewer page. Live: the task runs here on MuJoCo's WASM build (the same @mbrl-ts/envs task
 * as training and eval), the run's checkpoint acts through the same agent code on tfjs's cpu
 * backend, loaded with the agent's own load() from files the server sent (./shims/volume.ts), and
 * three.js draws the model's geoms. Trajectory: a file written by `eval --save-trajectory` is
 * played back, the geoms placed by the task's model from each step's qpos.
 *
 * URL parameters: seed (first episode's, default eval's 1000000), speed (x real time), stopAt
 * (pause when that many steps have run), paused=1, record=1 (the canvas alone, frames drawn on
 * request through window.mbrlViewer.showFrame, for the video recorder), width / height.
 *
 * window.mbrlViewer exposes status(), play(), pause(), reset(seed), frameCount(), showFrame(i).
 */
import * as tf from '@tensorflow/tfjs';
import * as THREE from 'three';
import { resolveConfig, type Agent, type AlgorithmSpec } from '@mbrl-ts/contract';
import type { MjData, MjModel } from '@mujoco/mujoco';
import { makeEnv, type Env } from '@mbrl-ts/envs';
import { ReplayBuffer } from '@mbrl-ts/replay';
import { PAGE_ALGORITHMS } from '../page-algorithms';
import { parseTrajectory, type Trajectory } from '../trajectory-format';
import { TaskScene } from './scene';
import { volume } from './shims/volume';

/** What the server says the page is showing (GET session.json). */
type Session =
  | {
      readonly mode: 'live';
      readonly run: string;
      readonly env: string;
      readonly algo: string;
      readonly agent: Record<string, unknown>;
      readonly checkpointStep: number;
      readonly checkpoints: number[];
      readonly files: string[];
    }
  | { readonly mode: 'trajectory'; readonly trajectory: string }
  | { readonly mode: 'open' };

interface Status {
  mode: 'live' | 'trajectory' | 'open' | 'loading';
  ready: boolean;
  error: string | null;
  playing: boolean;
  /** Steps run since the page's last reset (over episodes). */
  step: number;
  /** Step within the current episode. */
  episodeStep: number;
  episode: number;
  seed: number;
  /** Sum of the current episode's rewards so far. */
  episodeReturn: number;
  /** Completed episodes' returns. */
  returns: number[];
  checkpointStep: number | null;
  /** Frames drawn so far (the test waits for some). */
  frames: number;
}

const params = new URLSearchParams(location.search);
const intParam = (name: string, fallback: number): number => {
  const raw = params.get(name);
  return raw !== null && /^[0-9]+$/.test(raw) ? Number(raw) : fallback;
};
const recordMode = params.get('record') === '1';
const stopAt = params.has('stopAt') ? intParam('stopAt', 0) : Infinity;
const width = intParam('width', recordMode ? 640 : window.innerWidth);
const height = intParam('height', recordMode ? 360 : Math.max(200, window.innerHeight - 56));
let speed = Number(params.get('speed') ?? '1') > 0 ? Number(params.get('speed') ?? '1') : 1;

const status: Status = {
  mode: 'loading',
  ready: false,
  error: null,
  playing: false,
  step: 0,
  episodeStep: 0,
  episode: 0,
  seed: intParam('seed', 1_000_000),
  episodeReturn: 0,
  returns: [],
  checkpointStep: null,
  frames: 0,
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;

function show(): void {
  const text = (id: string, value: string) => {
    const el = $(id);
    if (el) el.textContent = value;
  };
  text('step', String(status.episodeStep));
  text('episode', String(status.episode));
  text('return', status.episodeReturn.toFixed(2));
  text('checkpoint', status.checkpointStep === null ? '-' : `checkpoint-${status.checkpointStep}`);
  text('state', status.error ?? (status.ready ? (status.playing ? 'playing' : 'paused') : 'loading'));
  const play = $('play');
  if (play) play.textContent = status.playing ? 'Pause' : 'Play';
}

const canvas = document.createElement('canvas');
(document.getElementById('stage') ?? document.body).appendChild(canvas);
const renderer = new THREE.WebGLRenderer({ canvas, antialias: !recordMode, preserveDrawingBuffer: true });
renderer.setPixelRatio(1);
renderer.setSize(width, height, true);

let env: Env | null = null;
let scene: TaskScene | null = null;

function mujocoOf(e: Env): { model: MjModel; data: MjData; setPhysics(q: number[], v: number[]): void } {
  const base = e.unwrapped as unknown as {
    scene?: { model: MjModel; data: MjData };
    setPhysics(q: number[], v: number[]): void;
  };
  if (!base.scene) throw new Error(`${e.id} is not a MuJoCo task; there is nothing to draw`);
  return { ...base.scene, setPhysics: (q, v) => base.setPhysics(q, v) };
}

async function useTask(id: string): Promise<void> {
  if (env?.id === id) return;
  scene?.dispose();
  env?.close();
  env = await makeEnv(id);
  scene = new TaskScene(mujocoOf(env).model, width / height);
}

function draw(): void {
  if (!env || !scene) return;
  scene.update(mujocoOf(env).data);
  renderer.render(scene.scene, scene.camera);
  status.frames += 1;
}

// ---- live: the policy acting in the task ---------------------------------------------------------

let agent: Agent | null = null;
let spec: AlgorithmSpec | null = null;
let live: Extract<Session, { mode: 'live' }> | null = null;
let observation: Float64Array | null = null;

/** A fresh agent from the checkpoint's files, as loadAgent builds it (its Rng as saved). */
async function loadPolicy(): Promise<void> {
  if (!live || !env || !spec) return;
  agent?.dispose();
  agent = null;
  const observationDim = env.observationSpace.shape[0];
  const actionDim = env.actionSpace.shape[0];
  const replay = new ReplayBuffer({ capacity: 1, observationDim, actionDim });
  const config = resolveConfig(spec.schema, live.agent, 'config.json');
  const created = await spec.create({ env, replay, config: config as never, seed: 0 });
  await created.load('/agent');
  agent = created;
}

async function resetLive(seed: number): Promise<void> {
  status.ready = false;
  show();
  await loadPolicy();
  status.seed = seed;
  status.step = 0;
  status.episodeStep = 0;
  status.episode = 0;
  status.episodeReturn = 0;
  status.returns = [];
  observation = (env as Env).reset({ seed }).obs;
  status.ready = true;
  draw();
  show();
}

function stepLive(): void {
  if (!env || !agent || !observation || !live) return;
  const action = agent.act(observation, { step: live.checkpointStep, deterministic: true });
  const result = env.step(action);
  status.episodeReturn += result.reward;
  status.step += 1;
  status.episodeStep += 1;
  observation = result.obs;
  if (result.terminated || result.truncated) {
    // the next episode takes the next seed, as eval's episodes do
    status.returns.push(status.episodeReturn);
    status.episode += 1;
    status.episodeStep = 0;
    status.episodeReturn = 0;
    observation = env.reset({ seed: (status.seed + status.episode) >>> 0 }).obs;
  }
}

// ---- trajectory: playing a recorded file ---------------------------------------------------------

let trajectory: Trajectory | null = null;
/** Each frame's episode and index within it. */
let frames: Array<[number, number]> = [];
let frame = 0;

async function useTrajectory(t: Trajectory): Promise<void> {
  await useTask(t.env);
  trajectory = t;
  frames = t.episodes.flatMap((e, i) => e.qpos.map((_, k) => [i, k] as [number, number]));
  status.mode = 'trajectory';
  status.checkpointStep = t.checkpointStep ?? null;
  showFrame(0);
  status.ready = true;
}

function showFrame(index: number): void {
  if (!trajectory || !env) return;
  frame = Math.max(0, Math.min(frames.length - 1, index));
  const [e, k] = frames[frame];
  const episode = trajectory.episodes[e];
  mujocoOf(env).setPhysics(episode.qpos[k], episode.qvel[k]);
  status.episode = e;
  status.seed = episode.seed;
  status.episodeStep = k;
  status.step = frame;
  status.episodeReturn = episode.rewards.slice(0, k).reduce((s, r) => s + r, 0);
  draw();
  show();
}

// ---- the loop ------------------------------------------------------------------------------------

let last = performance.now();
let owed = 0;
function tick(now: number): void {
  const elapsed = Math.min(0.25, (now - last) / 1000);
  last = now;
  if (status.ready && status.playing && env) {
    const dt = trajectory ? trajectory.dt : ((env.unwrapped as unknown as { dt: number }).dt ?? 0.05);
    owed += elapsed * speed;
    let steps = 0;
    while (owed >= dt && steps < 64 && status.playing) {
      owed -= dt;
      steps += 1;
      if (status.mode === 'live') {
        stepLive();
        if (status.step >= stopAt) status.playing = false;
      } else if (frame + 1 < frames.length) {
        frame += 1;
      } else {
        status.playing = false;
      }
    }
    if (status.mode === 'trajectory') showFrame(frame);
    else draw();
    show();
  } else if (status.ready) {
    draw();
  }
  requestAnimationFrame(tick);
}

async function start(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  const session = (await (await fetch('session.json')).json()) as Session;
  if (session.mode === 'live') {
    live = session;
    status.mode = 'live';
    status.checkpointStep = session.checkpointStep;
    spec = PAGE_ALGORITHMS.find((a) => a.name === session.algo) ?? null;
    if (!spec) throw new Error(`the page has no ${session.algo} agent`);
    await Promise.all(
      session.files.map(async (name) => {
        const response = await fetch(`agent/${encodeURIComponent(name)}`);
        if (!response.ok) throw new Error(`agent/${name}: HTTP ${response.status}`);
        volume.set(`/agent/${name}`, new Uint8Array(await response.arrayBuffer()));
      }),
    );
    await useTask(session.env);
    await resetLive(status.seed);
  } else if (session.mode === 'trajectory') {
    const response = await fetch(session.trajectory);
    await useTrajectory(parseTrajectory(await response.json(), session.trajectory));
  } else {
    status.mode = 'open';
  }
  status.playing = !recordMode && params.get('paused') !== '1' && status.mode !== 'open';
  show();
  if (!recordMode) requestAnimationFrame(tick);
}

function wireControls(): void {
  $('play')?.addEventListener('click', () => {
    status.playing = !status.playing;
    show();
  });
  $('reset')?.addEventListener('click', () => {
    const raw = ($('seed') as HTMLInputElement | null)?.value ?? '';
    const seed = /^[0-9]+$/.test(raw) ? Number(raw) : status.seed;
    if (status.mode === 'live') void resetLive(seed).catch(fail);
    else showFrame(0);
  });
  $('speed')?.addEventListener('change', (event) => {
    speed = Number((event.target as HTMLSelectElement).value) || 1;
  });
  $('open')?.addEventListener('change', (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    void file
      .text()
      .then((text) => useTrajectory(parseTrajectory(JSON.parse(text), file.name)))
      .then(() => {
        live = null;
        status.playing = true;
        show();
      })
      .catch(fail);
  });
  const seedInput = $('seed') as HTMLInputElement | null;
  if (seedInput) seedInput.value = String(status.seed);
}

function fail(error: unknown): void {
  status.error = error instanceof Error ? error.message : String(error);
  status.playing = false;
  show();
  console.error(error);
}

(window as unknown as { mbrlViewer: unknown }).mbrlViewer = {
  status: (): Status => ({ ...status, returns: [...status.returns] }),
  play: () => {
    status.playing = true;
  },
  pause: () => {
    status.playing = false;
  },
  reset: (seed: number) => resetLive(seed),
  frameCount: () => frames.length,
  showFrame,
};

wireControls();
start().catch(fail);
