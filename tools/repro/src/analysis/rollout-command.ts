/**
 * `mbrl-repro rollout --run DIR`: the latent rollout accuracy of Figure 7 for an ALM run's latest
 * checkpoint. Episodes of the deterministic policy give trajectories; from the first latent of each
 * the model is unrolled with the trajectory's actions and compared, step by step, with the
 * encoder's latent of the true state (latent-rollout.ts, rollout-errors.ts).
 *
 * Writes into --out (default <run>/analysis):
 *   rollout.json                 settings, per-step error (mean, std over trajectories) of the model
 *                                and of the no-change reference, per-trajectory errors
 *   rollout.svg|png              error per rollout step
 *   rollout-coordinate.svg|png   latent coordinate 0 along the first trajectory: encoder and model
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AlmAgent } from '@mbrl-ts/agents';
import { renderFigure } from '../report/figures';
import { toJson } from '../report/format';
import { latentCoordinateSpec, rolloutErrorSpec } from './analysis-figures';
import { latentRollout } from './latent-rollout';
import { loadRun } from './load-run';
import { recordEpisodesUntil } from './policy-episodes';
import { latentSpread, noChangeDistances, stepDistances, summarizeSteps } from './rollout-errors';

export interface RolloutFlags {
  readonly run: string;
  readonly out?: string;
  readonly episodes: number;
  readonly horizon: number;
  readonly seed: number;
  readonly backend: string;
  /** A checkpoint's step; default the latest. */
  readonly checkpoint?: number;
}

export interface RolloutSummaryStep {
  readonly step: number;
  readonly n: number;
  readonly modelMean: number;
  readonly modelStd: number;
  readonly noChangeMean: number;
  readonly noChangeStd: number;
}

export interface RolloutResult {
  readonly run: string;
  readonly checkpointStep: number;
  readonly latentSpread: number;
  readonly perStep: readonly RolloutSummaryStep[];
  readonly files: readonly string[];
}

/** The steps quoted on the command line (and in the README): 1, 5, 10, 20, 50 and the last. */
function quotedSteps(last: number): number[] {
  return [...new Set([1, 5, 10, 20, 50, last].filter((t) => t <= last))];
}

export async function rolloutCommand(
  flags: RolloutFlags,
  print: (line: string) => void,
): Promise<RolloutResult> {
  const loaded = await loadRun(flags.run, {
    backend: flags.backend,
    accept: ['alm'],
    analysis: 'rollout',
    checkpoint: flags.checkpoint,
  });
  try {
    const { agent, env, checkpoint, config } = loaded;
    if (!(agent instanceof AlmAgent)) throw new Error(`rollout needs an ALM agent, got ${agent.algo}`);
    const episodes = recordEpisodesUntil(agent, env, (done) => done.length >= flags.episodes, {
      seed: flags.seed,
      step: checkpoint.step,
    });
    const rollouts = episodes.map((e) => latentRollout(agent, e, flags.horizon, env.actionSpace));
    const latentSize = rollouts[0].latentSize;
    const model = rollouts.map((r) => stepDistances(r.predicted, r.encoded, latentSize));
    const noChange = rollouts.map((r) => noChangeDistances(r.encoded, latentSize));
    const modelSteps = summarizeSteps(model);
    const noChangeSteps = summarizeSteps(noChange);
    const perStep = modelSteps.map((s, t) => ({
      step: s.step,
      n: s.n,
      modelMean: s.mean,
      modelStd: s.std,
      noChangeMean: noChangeSteps[t].mean,
      noChangeStd: noChangeSteps[t].std,
    }));
    const spread =
      rollouts.reduce((sum, r) => sum + latentSpread(r.encoded, latentSize), 0) / rollouts.length;

    const out = resolve(flags.out ?? join(loaded.dir, 'analysis'));
    mkdirSync(out, { recursive: true });
    const files: string[] = [];
    const write = (name: string, content: string | Buffer) => {
      writeFileSync(join(out, name), content);
      files.push(join(out, name));
    };
    write(
      'rollout.json',
      toJson({
        run: loaded.dir,
        algo: config.algo,
        env: config.env,
        checkpointStep: checkpoint.step,
        episodes: flags.episodes,
        horizon: flags.horizon,
        seed: flags.seed,
        latentSize,
        episodeLengths: episodes.map((e) => e.rewards.length),
        latentSpread: spread,
        definitions: {
          encoded: 'mean of the online encoder e(. | s_t)',
          model:
            'z_0 = e(s_0), z_{t+1} = mean of m(. | z_t, a_t) with the trajectory actions; error ||z_t - e(s_t)||_2',
          noChange: '||e(s_0) - e(s_t)||_2: the error of predicting that the latent does not move',
          latentSpread:
            "mean ||e(s_t) - mean_t e(s_t)||_2 over each trajectory's rolled-out states, averaged over trajectories",
          std: 'population standard deviation over the trajectories reaching the step',
        },
        perStep,
        perTrajectory: rollouts.map((r, i) => ({
          model: Array.from(model[i]),
          noChange: Array.from(noChange[i]),
        })),
        coordinate0: {
          encoded: Array.from({ length: rollouts[0].steps }, (_, t) => rollouts[0].encoded[t * latentSize]),
          predicted: Array.from(
            { length: rollouts[0].steps },
            (_, t) => rollouts[0].predicted[t * latentSize],
          ),
        },
      }),
    );
    const errors = await renderFigure(
      rolloutErrorSpec(
        `latent rollout, ${config.algo} on ${config.env}, step ${checkpoint.step}`,
        `${episodes.length} trajectories of the deterministic policy; mean ± std`,
        [
          ...perStep.map((p) => ({
            step: p.step,
            series: 'model: ||z_t - e(s_t)||',
            mean: p.modelMean,
            std: p.modelStd,
          })),
          ...perStep.map((p) => ({
            step: p.step,
            series: 'no change: ||e(s_0) - e(s_t)||',
            mean: p.noChangeMean,
            std: p.noChangeStd,
          })),
        ],
      ),
    );
    write('rollout.svg', errors.svg);
    write('rollout.png', errors.png);
    const r0 = rollouts[0];
    const coordinate = await renderFigure(
      latentCoordinateSpec(
        `latent coordinate 0 along one trajectory, ${config.env}`,
        'encoder on the true states vs the model unrolled from z_0',
        Array.from({ length: r0.steps }, (_, t) => r0.encoded[t * latentSize]),
        Array.from({ length: r0.steps }, (_, t) => r0.predicted[t * latentSize]),
      ),
    );
    write('rollout-coordinate.svg', coordinate.svg);
    write('rollout-coordinate.png', coordinate.png);

    print(
      `rollout: ${config.algo} on ${config.env} at step ${checkpoint.step}: ${episodes.length} trajectories, ` +
        `${perStep.length - 1} model steps, latent size ${latentSize}, latent spread ${spread.toFixed(3)}`,
    );
    for (const t of quotedSteps(perStep.length - 1)) {
      const p = perStep[t];
      print(
        `  step ${t}: model error ${p.modelMean.toFixed(3)} ± ${p.modelStd.toFixed(3)}, no-change ${p.noChangeMean.toFixed(3)} ± ${p.noChangeStd.toFixed(3)} (${p.n} trajectories)`,
      );
    }
    print(`  wrote ${files.length} files to ${out}`);
    return { run: loaded.dir, checkpointStep: checkpoint.step, latentSpread: spread, perStep, files };
  } finally {
    loaded.dispose();
  }
}
