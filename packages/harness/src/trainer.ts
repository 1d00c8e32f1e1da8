/**
 * The one training loop of mbrl-ts, for every algorithm:
 *
 *   warm-up with uniform random actions -> act -> env.step -> store in replay -> update(s)
 *   every evalEvery steps: evaluate the deterministic policy on a separate env
 *   every checkpointEvery steps (and on SIGINT / SIGTERM): checkpoint everything
 *
 * A checkpoint holds the agent (networks, targets, optimizers, its Rng), the replay contents, the
 * env state (physics + its Rng), the loop's Rng and counters, and the observation in hand, so a
 * resumed run continues exactly where the checkpoint was taken. A resume verifies the newest
 * checkpoint's manifest and falls back to the next older one when it is damaged; when none is usable
 * it stops before anything is written. A non-finite metric stops the run before anything else is
 * written, and a checkpoint whose tensors are not all finite is never committed; the last good
 * checkpoint stays. A full or read-only disk stops the run with one line naming that checkpoint.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env, EnvState } from '@mbrl-ts/envs';
import { evaluate, summarize } from '@mbrl-ts/eval';
import { ReplayBuffer, restoreReplaySnapshot, saveReplaySnapshot } from '@mbrl-ts/replay';
import { Rng, type RngState } from '@mbrl-ts/rng';
import type { Agent, UpdateMetrics } from './agent';
import { writeJsonAtomic } from './atomic';
import { CheckpointDamagedError, type CheckpointInfo } from './checkpoints';
import { ConfigError } from './config';
import { findNonFiniteTensorValue } from './finite-state';
import type { Progress } from './progress';
import type { RunDirectory } from './run-dir';
import { listenForShutdown, type ShutdownRequest } from './shutdown';
import type { TrainerConfig } from './trainer-config';

const STATE_VERSION = 2;

export class NonFiniteMetricError extends Error {
  override readonly name = 'NonFiniteMetricError';
}

export class ResumeError extends Error {
  override readonly name = 'ResumeError';
}

/** The disk refused a write (full, read-only, no permission); the last good checkpoint is intact. */
export class RunStorageError extends Error {
  override readonly name = 'RunStorageError';
}

const STORAGE_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'an input/output error',
};

/** The loop's own part of a checkpoint (trainer.json). */
interface LoopState {
  readonly version: number;
  readonly algo: string;
  readonly envId: string;
  readonly step: number;
  readonly obs: number[];
  readonly episodeReturn: number;
  readonly episodeLength: number;
  readonly episodes: number;
  readonly rng: RngState;
  readonly env: EnvState;
  readonly wallSeconds: number;
  readonly metricSums: Record<string, number>;
  /** Per metric, how many updates reported it since the last log line (metrics may be sparse). */
  readonly metricCounts: Record<string, number>;
}

export interface TrainOptions {
  readonly config: TrainerConfig;
  readonly env: Env;
  readonly evalEnv: Env;
  readonly agent: Agent;
  readonly replay: ReplayBuffer;
  readonly run: RunDirectory;
  readonly progress?: Progress;
  /**
   * When to stop early: by default train() listens for SIGINT / SIGTERM / SIGHUP itself while it
   * runs (as the CLI does: the current step ends, a checkpoint is written, train() returns with
   * `interruptedBy`; a second signal exits at once with 130), and stops listening when it returns.
   * Pass your own request (or NEVER_SHUTDOWN to ignore signals).
   */
  readonly shutdown?: ShutdownRequest;
  /** Resume from the run's latest checkpoint. */
  readonly resume?: boolean;
  /** Stop after this many env steps in this call (tests use it to simulate an interruption). */
  readonly stopAfterSteps?: number;
  /**
   * On resume, the total steps were changed from the recorded ones: they must then lie above the
   * checkpoint's step (a smaller number would declare a run finished that is not).
   */
  readonly totalStepsChanged?: boolean;
  /** Warnings (a damaged checkpoint skipped, a torn log line dropped); stderr in the CLI. */
  readonly warn?: (line: string) => void;
  /**
   * Called once the run is known to start: the checkpoint (if any) is loaded, the logs are cut back
   * to it, and the first step is next. The CLI records resume-time setting changes here.
   */
  readonly onStart?: (info: { readonly step: number; readonly resumedFrom?: string }) => void;
}

export interface TrainResult {
  /** Environment steps done in total (including before a resume). */
  readonly steps: number;
  readonly finished: boolean;
  /** Why the loop stopped early, if it did. */
  readonly interruptedBy?: string;
  readonly lastEvaluation?: { readonly step: number; readonly returnMean: number };
}

function sampleUniformAction(env: Env, rng: Rng): Float32Array {
  const { low, high } = env.actionSpace;
  const action = new Float32Array(low.length);
  for (let i = 0; i < action.length; i++) action[i] = rng.uniformRange(low[i], high[i]);
  return action;
}

/** Where a stopped run can go on from, for the one-line messages. */
function lastGood(run: RunDirectory, lastWritten: CheckpointInfo | undefined): string {
  const last = lastWritten ?? run.checkpoints.latest();
  return last
    ? `the last good checkpoint is ${last.dir} (step ${last.step}; train --resume ${run.path} continues from it)`
    : `no checkpoint was written yet (train --resume ${run.path} starts it again from step 0)`;
}

function checkFinite(
  metrics: UpdateMetrics,
  step: number,
  run: RunDirectory,
  lastWritten: CheckpointInfo | undefined,
): void {
  for (const [name, value] of Object.entries(metrics)) {
    if (!Number.isFinite(value)) {
      throw new NonFiniteMetricError(
        `update at step ${step} produced a non-finite ${name} (${value}); the run stops, ${lastGood(run, lastWritten)}; ` +
          'a lower learning rate or better-scaled inputs (observations, rewards) usually help',
      );
    }
  }
}

function storageFailure(
  error: unknown,
  step: number,
  run: RunDirectory,
  last: CheckpointInfo | undefined,
): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === undefined || !(code in STORAGE_ERRORS)) return error;
  const path = (error as NodeJS.ErrnoException).path;
  return new RunStorageError(
    `${STORAGE_ERRORS[code]} (${code}) while writing ${path ?? 'the run'} at step ${step}; the run stops, ` +
      `${lastGood(run, last)} once the disk is writable again`,
  );
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const ownShutdown = options.shutdown === undefined ? listenForShutdown() : undefined;
  try {
    return await trainUntilDone(options, ownShutdown ?? (options.shutdown as ShutdownRequest));
  } finally {
    ownShutdown?.dispose();
  }
}

async function trainUntilDone(options: TrainOptions, shutdown: ShutdownRequest): Promise<TrainResult> {
  const { config, env, evalEnv, agent, replay, run } = options;
  const rng = new Rng(config.seed);
  const evalSeedBase = (config.seed * 1_000_003 + 12_345) >>> 0;

  let step = 0;
  let obs: Float64Array;
  let episodeReturn = 0;
  let episodeLength = 0;
  let episodes = 0;
  let wallBefore = 0;
  let metricSums: Record<string, number> = {};
  let metricCounts: Record<string, number> = {};
  let lastEvaluation: TrainResult['lastEvaluation'];

  const needed = agent.minReplaySize ?? 1;
  if (config.updatesPerStep > 0 && config.warmupSteps + 1 < needed) {
    throw new ConfigError(
      `warmupSteps ${config.warmupSteps} is too short for ${agent.algo}: its first update needs ${needed} stored ` +
        `transitions, so set warmupSteps to at least ${needed - 1} (or lower the batch size)`,
    );
  }

  const warn = options.warn ?? (() => {});
  let lastWritten: CheckpointInfo | undefined;
  let resumedFrom: string | undefined;
  const resumeFrom = options.resume ? chooseCheckpoint(run, warn) : undefined;
  if (resumeFrom) {
    const state = readLoopState(resumeFrom);
    if (state.algo !== agent.algo || state.envId !== env.id) {
      throw new ResumeError(
        `checkpoint ${resumeFrom.dir} is from ${state.algo} on ${state.envId}, but this run is ${agent.algo} on ${env.id}`,
      );
    }
    if (config.totalSteps < state.step || (options.totalStepsChanged && config.totalSteps <= state.step)) {
      throw new ResumeError(
        `the run is at step ${state.step} (checkpoint ${resumeFrom.dir}); --steps must be above it, got ${config.totalSteps}`,
      );
    }
    try {
      await agent.load(join(resumeFrom.dir, 'agent'));
      await restoreReplaySnapshot(replay, join(resumeFrom.dir, 'replay'));
      env.setState(state.env);
      rng.setState(state.rng);
    } catch (error) {
      throw new ResumeError(
        `checkpoint ${resumeFrom.dir} matches its manifest but does not fit this run: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    step = state.step;
    obs = Float64Array.from(state.obs);
    episodeReturn = state.episodeReturn;
    episodeLength = state.episodeLength;
    episodes = state.episodes;
    wallBefore = state.wallSeconds;
    metricSums = { ...state.metricSums };
    metricCounts = { ...state.metricCounts };
    lastWritten = resumeFrom;
    resumedFrom = resumeFrom.dir;
    run.cutLogsTo(step, warn);
    options.progress?.message(`resumed from ${resumeFrom.dir} at step ${step}`);
  } else {
    if (options.resume) {
      // Stopped before its first checkpoint: start again from step 0 with the recorded settings.
      run.cutLogsTo(0, warn);
      options.progress?.message(`${run.path} has no checkpoint yet: starting it again from step 0`);
    }
    obs = env.reset({ seed: config.seed }).obs;
  }
  options.onStart?.({ step, resumedFrom });

  const segmentStart = Date.now();
  const wallSeconds = () => wallBefore + (Date.now() - segmentStart) / 1000;
  options.progress?.start(step);

  const checkpoint = async (): Promise<void> => {
    lastWritten = await run.checkpoints.save(step, async (dir) => {
      try {
        await writeCheckpointFiles(dir);
      } catch (error) {
        // the agent's and the replay's write errors name no file: name the checkpoint
        const e = error as NodeJS.ErrnoException;
        if (e?.code !== undefined && e.path === undefined) e.path = dir;
        throw e;
      }
    });
  };

  const writeCheckpointFiles = async (dir: string): Promise<void> => {
    await agent.save(join(dir, 'agent'));
    const bad = findNonFiniteTensorValue(join(dir, 'agent'));
    if (bad) {
      throw new NonFiniteMetricError(
        `the agent's state at step ${step} holds a non-finite value (${bad.value} in ${bad.tensor} of ` +
          `agent/${bad.file}); no checkpoint is written and the run stops, ${lastGood(run, lastWritten)}`,
      );
    }
    await saveReplaySnapshot(replay, join(dir, 'replay'));
    const state: LoopState = {
      version: STATE_VERSION,
      algo: agent.algo,
      envId: env.id,
      step,
      obs: Array.from(obs),
      episodeReturn,
      episodeLength,
      episodes,
      rng: rng.getState(),
      env: env.getState(),
      wallSeconds: wallSeconds(),
      metricSums,
      metricCounts,
    };
    writeJsonAtomic(join(dir, 'trainer.json'), state);
  };

  const runEvaluation = (): void => {
    options.progress?.startEvaluation(step, config.evalEpisodes);
    const result = evaluate(agent, evalEnv, config.evalEpisodes, { seed: evalSeedBase, step });
    const returns = summarize(result.returns);
    const lengths = summarize(result.lengths);
    run.logEvaluation({
      step,
      episodes: config.evalEpisodes,
      return_mean: returns.mean,
      return_std: Number.isNaN(returns.std) ? 0 : returns.std,
      length_mean: lengths.mean,
      wall_s: Number(wallSeconds().toFixed(3)),
    });
    lastEvaluation = { step, returnMean: returns.mean };
    options.progress?.evaluation(returns.mean);
    options.progress?.message(
      `eval step ${step}: return ${returns.mean.toFixed(2)} ± ${(returns.std || 0).toFixed(2)}`,
    );
  };

  // The loop proper is a function of its own so that a disk error anywhere in it (an append, a
  // checkpoint) becomes one RunStorageError naming the last good checkpoint.
  try {
    return await loop();
  } catch (error) {
    throw storageFailure(error, step, run, lastWritten);
  }

  async function loop(): Promise<TrainResult> {
    const stepsThisCall = options.stopAfterSteps ?? Infinity;
    const firstStep = step;
    while (step < config.totalSteps) {
      if (shutdown.requested) {
        await checkpoint();
        options.progress?.message(`${shutdown.signal}: checkpoint written at step ${step}`);
        return { steps: step, finished: false, interruptedBy: shutdown.signal, lastEvaluation };
      }
      if (step - firstStep >= stepsThisCall)
        return { steps: step, finished: false, interruptedBy: 'stopAfterSteps', lastEvaluation };

      const action =
        step < config.warmupSteps
          ? sampleUniformAction(env, rng)
          : agent.act(obs, { step, deterministic: false });
      const result = env.step(action);
      replay.add({
        observation: obs,
        action,
        reward: result.reward,
        nextObservation: result.obs,
        terminated: result.terminated,
        truncated: result.truncated,
      });
      episodeReturn += result.reward;
      episodeLength += 1;
      step += 1;

      if (result.terminated || result.truncated) {
        episodes += 1;
        run.logMetrics(step, { train_episode_return: episodeReturn, train_episode_length: episodeLength });
        obs = env.reset().obs;
        episodeReturn = 0;
        episodeLength = 0;
      } else {
        obs = result.obs;
      }

      if (step > config.warmupSteps) {
        for (let u = 0; u < config.updatesPerStep; u++) {
          const metrics = agent.update(step);
          checkFinite(metrics, step, run, lastWritten);
          for (const [k, v] of Object.entries(metrics)) {
            metricSums[k] = (metricSums[k] ?? 0) + v;
            metricCounts[k] = (metricCounts[k] ?? 0) + 1;
          }
        }
      }
      if (step % config.logEvery === 0 && Object.keys(metricSums).length > 0) {
        const means = Object.fromEntries(
          Object.entries(metricSums).map(([k, v]) => [k, v / metricCounts[k]]),
        );
        run.logMetrics(step, { ...means, steps_per_second: step / Math.max(wallSeconds(), 1e-9) });
        options.progress?.metrics(means);
        metricSums = {};
        metricCounts = {};
      }
      if (step % config.evalEvery === 0 || step === config.totalSteps) runEvaluation();
      if (step % config.checkpointEvery === 0 || step === config.totalSteps) await checkpoint();
      options.progress?.update(step);
      // The loop is synchronous between checkpoints; give the event loop a turn so a SIGINT /
      // SIGTERM handler can run and the request is seen at the next step, not the next checkpoint.
      await yieldToEventLoop();
    }
    options.progress?.finish(step);
    return { steps: step, finished: true, lastEvaluation };
  }
}

/**
 * The checkpoint a resume starts from: the newest one that verifies. Damaged newer ones are
 * reported through `warn`; when checkpoints exist but none verifies, the resume stops here.
 */
function chooseCheckpoint(run: RunDirectory, warn: (line: string) => void): CheckpointInfo | undefined {
  const { usable, damaged } = run.checkpoints.findUsable();
  if (!usable && damaged.length > 0) {
    const reasons = damaged.map((d) => `checkpoint-${d.checkpoint.step}: ${d.reason}`).join('; ');
    throw new ResumeError(
      `${run.path} has no usable checkpoint (${reasons}); nothing was changed or deleted`,
    );
  }
  for (const d of damaged) warn(`${d.message}; using an older checkpoint`);
  return usable;
}

function readLoopState(checkpoint: CheckpointInfo): LoopState {
  let state: LoopState;
  try {
    state = JSON.parse(readFileSync(join(checkpoint.dir, 'trainer.json'), 'utf8')) as LoopState;
  } catch (error) {
    throw new CheckpointDamagedError(checkpoint, `trainer.json cannot be read (${(error as Error).message})`);
  }
  if (state?.version !== STATE_VERSION) {
    throw new ResumeError(
      `checkpoint ${checkpoint.dir} has loop state version ${String(state?.version)}, expected ${STATE_VERSION}`,
    );
  }
  if (state.step !== checkpoint.step) {
    throw new CheckpointDamagedError(checkpoint, `trainer.json is for step ${state.step}`);
  }
  return state;
}
