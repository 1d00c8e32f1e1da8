/**
 * `mbrl-repro bias --run DIR`: the Q-value / lower-bound bias of Figures 4 and 8 for one run's
 * latest checkpoint. Episodes of the deterministic policy give `states` state-action pairs (the
 * first `cutoff` of each episode) with their discounted Monte Carlo returns; the critic's
 * min(Q1, Q2) and, for ALM, its K-step lower bound are compared with them (bias-stats.ts).
 *
 * Writes into --out (default <run>/analysis):
 *   bias.json        settings, episodes, and the statistics of each estimate
 *   bias-pairs.csv   every pair: episode, step, Monte Carlo return, each estimate
 *   bias.svg|png     each estimate against the Monte Carlo return
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Rng } from '@mbrl-ts/nn';
import { renderFigure } from '../report/figures';
import { formatNumber, toJson } from '../report/format';
import { biasScatterSpec } from './analysis-figures';
import { biasStatistics, type BiasStatistics } from './bias-stats';
import { loadRun } from './load-run';
import { monteCarloSample, pairsKept } from './monte-carlo';
import { recordEpisodesUntil } from './policy-episodes';
import { criticEstimates, lowerBoundEstimates } from './value-estimates';

export interface BiasFlags {
  readonly run: string;
  readonly out?: string;
  readonly states: number;
  readonly cutoff: number;
  readonly seed: number;
  readonly backend: string;
  /** A checkpoint's step; default the latest. */
  readonly checkpoint?: number;
}

export interface BiasResult {
  readonly run: string;
  readonly algo: string;
  readonly env: string;
  readonly checkpointStep: number;
  readonly gamma: number;
  readonly states: number;
  readonly cutoff: number;
  readonly seed: number;
  readonly episodes: { readonly count: number; readonly returns: number[]; readonly lengths: number[] };
  /** By estimate name: `q` (every run with a twin critic), `lowerBound` (ALM). */
  readonly estimates: Readonly<Record<string, BiasStatistics>>;
  readonly files: readonly string[];
}

export async function biasCommand(flags: BiasFlags, print: (line: string) => void): Promise<BiasResult> {
  const loaded = await loadRun(flags.run, {
    backend: flags.backend,
    analysis: 'bias',
    checkpoint: flags.checkpoint,
  });
  try {
    const { agent, env, gamma, checkpoint, config } = loaded;
    const episodes = recordEpisodesUntil(
      agent,
      env,
      (done) => done.reduce((sum, e) => sum + pairsKept(e.rewards.length, flags.cutoff), 0) >= flags.states,
      { seed: flags.seed, step: checkpoint.step },
    );
    const sample = monteCarloSample(episodes, { states: flags.states, cutoff: flags.cutoff, gamma });
    const input = { observations: sample.observations, actions: sample.actions, n: flags.states };
    const series: Array<{ name: string; values: Float64Array }> = [];
    const q = criticEstimates(agent, env, input, new Rng(flags.seed));
    if (q) series.push({ name: 'q', values: q });
    const bound = lowerBoundEstimates(agent, input);
    if (bound) series.push({ name: 'lowerBound', values: bound });
    if (series.length === 0)
      throw new Error(`the ${config.algo} agent has neither a twin critic nor a lower bound to measure`);
    const estimates = Object.fromEntries(
      series.map((s) => [s.name, biasStatistics(s.values, sample.returns)]),
    );

    const out = resolve(flags.out ?? join(loaded.dir, 'analysis'));
    mkdirSync(out, { recursive: true });
    const files: string[] = [];
    const write = (name: string, content: string | Buffer) => {
      writeFileSync(join(out, name), content);
      files.push(join(out, name));
    };
    const result = {
      run: loaded.dir,
      algo: config.algo,
      env: config.env,
      checkpointStep: checkpoint.step,
      gamma,
      states: flags.states,
      cutoff: flags.cutoff,
      seed: flags.seed,
      episodes: {
        count: episodes.length,
        returns: episodes.map((e) => e.rewards.reduce((a, b) => a + b, 0)),
        lengths: episodes.map((e) => e.rewards.length),
      },
      estimates,
    };
    write(
      'bias.json',
      toJson({
        ...result,
        definitions: {
          monteCarloReturn: `discounted return (gamma ${gamma}) to the end of the episode; the first ${flags.cutoff} pairs of each episode, until ${flags.states} pairs`,
          q: 'min(Q1, Q2)(s, a); ALM: on z ~ e_target(. | s)',
          lowerBound: 'ALM K-step lower bound (AlmAgent.lowerBound)',
          bias: 'estimate - Monte Carlo return',
          normalisedBias: '(estimate - G) / |mean G| (the paper, Appendix E)',
          perPairNormalisedBias:
            "(estimate - G) / max(|G|, 10) per pair (the authors' code; their sign is G - estimate)",
          std: 'population standard deviation (divide by n)',
        },
      }),
    );
    const header = ['episode', 'step', 'mc_return', ...series.map((s) => s.name)];
    const rows = Array.from(sample.returns, (g, i) =>
      [sample.episode[i], sample.step[i], g, ...series.map((s) => s.values[i])].join(','),
    );
    write('bias-pairs.csv', [header.join(','), ...rows].join('\n') + '\n');
    const figure = await renderFigure(
      biasScatterSpec(
        `${config.algo} on ${config.env}, step ${checkpoint.step}`,
        `${flags.states} state-action pairs of ${episodes.length} episode(s); dashed: estimate = return`,
        sample.returns,
        series.map((s) => ({ name: s.name, estimates: s.values })),
      ),
    );
    write('bias.svg', figure.svg);
    write('bias.png', figure.png);

    print(
      `bias: ${config.algo} on ${config.env} at step ${checkpoint.step}: ${flags.states} pairs from ${episodes.length} episode(s), mean MC return ${formatNumber(sample.returns.reduce((a, b) => a + b, 0) / flags.states)}`,
    );
    for (const s of series) {
      const stats = estimates[s.name];
      print(
        `  ${s.name}: mean ${formatNumber(stats.estimateMean)}, normalised bias ${stats.normalisedBiasMean.toFixed(3)} ± ${stats.normalisedBiasStd.toFixed(3)} (std)`,
      );
    }
    print(`  wrote ${files.length} files to ${out}`);
    return { ...result, files };
  } finally {
    loaded.dispose();
  }
}
