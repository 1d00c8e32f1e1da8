/**
 * `mbrl-repro speed --algos alm,mbpo,redq`: the ALM paper's Figure 3 (bottom), wall-clock time per
 * environment step, for each algorithm at its paper defaults on one task's sizes (HalfCheetah-v4
 * by default), in one process: the same machine, backend, kernels and threads for all.
 *
 * Each agent is built from its spec with the schema's defaults and trained on a replay filled with
 * `--data` random-action transitions of the task. What one environment step costs:
 *
 *   ALM, SAC, ...  one `update` (one gradient update per step, the loop's default)
 *   REDQ, SAC-AVG  one `update` = G = 20 Q updates and one policy update
 *   MBPO           one `update` without retraining (20 SAC updates on real/model batches), plus
 *                  one retraining (the ensemble on the replay, then the rollouts) spread over the
 *                  modelTrainEvery = 250 steps between retrainings. The timed retraining is the
 *                  second one: the model trained once on the replay minus its newest 250 rows,
 *                  those rows added, then timed, as in a run.
 *
 * Writes speed.json and speed.md into --out: milliseconds per environment step, the parts, and
 * each method's ratio to ALM beside the paper's (about 10x for MBPO, 6x for REDQ).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { Agent, AlgorithmSpec } from '@mbrl-ts/contract';
import { ReproInputError } from '../errors';
import { formatNumber, toJson } from '../report/format';

export interface SpeedFlags {
  readonly algos: readonly string[];
  readonly env: string;
  readonly out: string;
  /** Timed environment steps per algorithm. */
  readonly steps: number;
  /** Untimed updates before timing. */
  readonly warmup: number;
  /** Random-action transitions in the replay. */
  readonly data: number;
  readonly seed: number;
  readonly backend: string;
}

/** The ALM paper's reported ratios of time per environment step to ALM's (Sec. 1 and Figure 3). */
export const PAPER_RATIOS: Readonly<Record<string, number>> = { mbpo: 10, redq: 6 };

export interface SpeedEntry {
  readonly algo: string;
  readonly msPerEnvStep: number;
  /** The parts: update ms (median) and, for MBPO, one retraining and its share per step. */
  readonly parts: Readonly<Record<string, number>>;
  readonly ratioToAlm: number | null;
  readonly paperRatio: number | null;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface RetrainingAgent extends Agent {
  trainModelAndRollOut(step: number): Record<string, number>;
  readonly config: { readonly modelTrainEvery: number };
}
const retrains = (agent: Agent): agent is RetrainingAgent =>
  typeof (agent as Partial<RetrainingAgent>).trainModelAndRollOut === 'function';

export async function speedCommand(flags: SpeedFlags, print: (line: string) => void): Promise<SpeedEntry[]> {
  const [
    { almAlgorithm, baselineAlgorithms },
    { defaultsOf },
    { makeEnv },
    { initBackend },
    { ReplayBuffer },
    { Rng },
  ] = await Promise.all([
    import('@mbrl-ts/agents'),
    import('@mbrl-ts/contract'),
    import('@mbrl-ts/envs'),
    import('@mbrl-ts/kernels'),
    import('@mbrl-ts/replay'),
    import('@mbrl-ts/nn'),
  ]);
  const specs = [almAlgorithm, ...baselineAlgorithms] as unknown as AlgorithmSpec[];
  for (const algo of flags.algos) {
    if (!specs.some((s) => s.name === algo))
      throw new ReproInputError(
        `speed: unknown algorithm "${algo}" (known: ${specs.map((s) => s.name).join(', ')})`,
      );
  }
  if (flags.data <= 500)
    throw new ReproInputError(`speed: --data must exceed 500 transitions, got ${flags.data}`);
  const backend = await initBackend(flags.backend as Parameters<typeof initBackend>[0], { logger: () => {} });
  let env;
  try {
    env = await makeEnv(flags.env);
  } catch (error) {
    throw new ReproInputError(`speed: ${(error as Error).message.split('\n')[0]}`);
  }
  const observationDim = env.observationSpace.shape[0];
  const actionDim = env.actionSpace.shape[0];
  // the same random-action transitions for every algorithm
  const rows: Array<Parameters<InstanceType<typeof ReplayBuffer>['add']>[0]> = [];
  const rng = new Rng(flags.seed);
  let obs = env.reset({ seed: flags.seed }).obs;
  for (let i = 0; i < flags.data; i++) {
    const { low, high } = env.actionSpace;
    const action = Float32Array.from({ length: actionDim }, (_, j) => rng.uniformRange(low[j], high[j]));
    const result = env.step(action);
    rows.push({
      observation: obs,
      action,
      reward: result.reward,
      nextObservation: result.obs,
      terminated: result.terminated,
      truncated: result.truncated,
    });
    obs = result.terminated || result.truncated ? env.reset().obs : result.obs;
  }
  const withheld = 250;

  const entries: Array<Omit<SpeedEntry, 'ratioToAlm' | 'paperRatio'>> = [];
  for (const algo of flags.algos) {
    const spec = specs.find((s) => s.name === algo) as AlgorithmSpec;
    const replay = new ReplayBuffer({ capacity: flags.data, observationDim, actionDim });
    for (const row of rows.slice(0, flags.data - withheld)) replay.add(row);
    const agent = await spec.create({ env, replay, config: defaultsOf(spec.schema), seed: flags.seed });
    try {
      let step = 1;
      if (!retrains(agent)) for (const row of rows.slice(flags.data - withheld)) replay.add(row);
      for (let i = 0; i < flags.warmup; i++) agent.update(step++); // MBPO: its first retraining here
      const parts: Record<string, number> = {};
      if (retrains(agent)) {
        for (const row of rows.slice(flags.data - withheld)) replay.add(row);
        const start = performance.now();
        agent.trainModelAndRollOut(step);
        parts.retrainingMs = performance.now() - start;
        parts.retrainingPerStepMs = parts.retrainingMs / agent.config.modelTrainEvery;
      }
      const times: number[] = [];
      for (let i = 0; i < flags.steps; i++) {
        if (retrains(agent) && step % agent.config.modelTrainEvery === 0) step++; // no retraining in the timed updates
        const start = performance.now();
        agent.act(Float64Array.from(obs), { step, deterministic: false });
        agent.update(step++);
        times.push(performance.now() - start);
      }
      parts.updateMs = median(times);
      const msPerEnvStep = parts.updateMs + (parts.retrainingPerStepMs ?? 0);
      entries.push({ algo, msPerEnvStep, parts });
      print(`${algo}: ${formatNumber(msPerEnvStep)} ms per environment step`);
    } finally {
      agent.dispose();
    }
  }
  env.close();

  const alm = entries.find((e) => e.algo === 'alm');
  const result: SpeedEntry[] = entries.map((e) => ({
    ...e,
    ratioToAlm: alm ? e.msPerEnvStep / alm.msPerEnvStep : null,
    paperRatio: PAPER_RATIOS[e.algo] ?? null,
  }));
  const out = resolve(flags.out);
  mkdirSync(out, { recursive: true });
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    backend: backend.name,
    kernels: backend.kernels,
    products: backend.blas ? `${backend.blas.library} (${backend.blas.threads} threads)` : null,
    precision: backend.precision,
  };
  writeFileSync(
    join(out, 'speed.json'),
    toJson({
      env: flags.env,
      steps: flags.steps,
      warmup: flags.warmup,
      data: flags.data,
      seed: flags.seed,
      machine,
      algorithms: result,
    }),
  );
  const lines = [
    `# Wall-clock time per environment step (Figure 3), ${flags.env} sizes`,
    '',
    `One process on ${machine.cpu} (${machine.cores} cores), ${machine.backend} backend, kernels ${machine.kernels ?? '-'}, products ${machine.products ?? '-'}; paper defaults of each method; medians of ${flags.steps} steps after ${flags.warmup} untimed updates.`,
    '',
    '| method | ms per env step | parts | ratio to ALM | paper |',
    '| --- | ---: | --- | ---: | ---: |',
    ...result.map(
      (e) =>
        `| ${e.algo} | ${formatNumber(e.msPerEnvStep)} | ${Object.entries(e.parts)
          .map(([k, v]) => `${k} ${formatNumber(v)}`)
          .join(
            ', ',
          )} | ${e.ratioToAlm === null ? '-' : `${e.ratioToAlm.toFixed(2)}x`} | ${e.paperRatio === null ? '-' : `~${e.paperRatio}x`} |`,
    ),
    '',
  ];
  writeFileSync(join(out, 'speed.md'), lines.join('\n'));
  print(`wrote ${join(out, 'speed.json')} and speed.md`);
  return result;
}
