/**
 * The mbrl-repro command line: `table1` runs the paper's Table 1 grid through the training
 * programs, `report` turns a grid of run directories into tables, figures and summary.json.
 * Bad input prints one line and exits 2; --verbose adds the stack trace.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { AblationsFlags } from './ablations/ablations-command';
import { ABLATION_SETS } from './ablations/variants';
// the analyses load tfjs and the agents, the reports Vega: imported when their command runs, not
// for every command (a grid's `cell` starts quickly)
import type { BiasFlags } from './analysis/bias-command';
import type { BiasCurveFlags } from './analysis/bias-curve-command';
import type { RolloutFlags } from './analysis/rollout-command';
import type { SpeedFlags } from './speed/speed-command';
import { ReproInputError } from './errors';
import { GRID_PRESETS } from './presets';
import { plotCommand } from './report/plot-command';
import { cellCommand, DEFAULT_MAX_FAILURES, type CellFlags } from './cell-command';
import { parseSlurmTime } from './slurm';
import { statusCommand } from './status-command';
import { DEFAULT_SIGNAL_BEFORE, table1Command, type Table1Flags } from './table1-command';
import { TABLE1_TASKS } from './tasks';

/** The package's version (package.json sits one level above src/ and dist/ alike). */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const BACKENDS = ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const;

function nonNegativeInt(flag: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < 0) {
      throw new InvalidArgumentError(`${flag} must be an integer >= 0, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
}

/** The repository root (tools/repro/src -> ../../..): the training programs live under it. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ReproCliOptions {
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  readonly repoRoot?: string;
  readonly handleSignals?: boolean;
  /** The environment for sbatch's PATH and the cells' threads (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Decimal digits only: no exponent, hex, sign or spaces (1e3, 0x10, ' 300 ' are refused). */
function positiveInt(flag: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
      throw new InvalidArgumentError(`${flag} must be an integer >= 1, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
}

function commaList(flag: string) {
  return (raw: string): string[] => {
    const items = raw.split(',').map((s) => s.trim());
    if (items.some((s) => s.length === 0))
      throw new InvalidArgumentError(`${flag} expects a comma-separated list, got ${JSON.stringify(raw)}`);
    return items;
  };
}

/** --checkpoints: comma-separated steps, each decimal digits. */
function stepList(raw: string): number[] {
  const items = raw.split(',');
  if (items.some((s) => !/^[0-9]+$/.test(s) || !Number.isSafeInteger(Number(s))))
    throw new InvalidArgumentError(
      `--checkpoints expects comma-separated steps (e.g. 1000,2000), got ${JSON.stringify(raw)}`,
    );
  return items.map(Number);
}

/** --time: validated as Slurm reads it, kept as written (it goes into the job script). */
function slurmTime(raw: string): string {
  parseSlurmTime(raw);
  return raw;
}

/** --shard i/n: 0 <= i < n, decimal digits. */
function shardSpec(raw: string): { index: number; count: number } {
  const match = /^([0-9]{1,6})\/([0-9]{1,6})$/.exec(raw);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count)
    throw new InvalidArgumentError(
      `--shard must be i/n with 0 <= i < n (e.g. 0/4), got ${JSON.stringify(raw)}`,
    );
  return { index, count };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(options: ReproCliOptions, exit: { code: number }): Command {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const print = (line: string) => stdout.write(line + '\n');
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const program = new Command('mbrl-repro')
    .description(
      "Reproduce the ALM paper's Table 1 and its analyses (Figure 5's ablations, Figures 4/8's bias, Figure 7's latent rollouts) with the mbrl-ts training programs, and render their reports.",
    )
    .version(VERSION)
    .option('--verbose', 'show stack traces on errors')
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });

  program
    .command('table1')
    .description(
      'train every (task, algorithm, seed) of the grid as one run directory <out>/<env>/<algo>/seed<k>; ' +
        'finished runs are skipped, interrupted ones resumed',
    )
    .option(
      '--envs <ids>',
      `comma-separated task ids (default: the Table 1 tasks, ${TABLE1_TASKS.map((t) => t.envId).join(', ')})`,
      commaList('--envs'),
    )
    .option(
      '--algos <names>',
      'comma-separated algorithms (default: every algorithm available in this build)',
      commaList('--algos'),
    )
    .option('--seeds <n>', 'seeds per task and algorithm (seeds 0 .. n-1)', positiveInt('--seeds'), 5)
    .option('--steps <n>', 'environment steps per run', positiveInt('--steps'), 200_000)
    .option('--parallel <n>', 'runs at once (default: one per core)', positiveInt('--parallel'))
    .option('--out <dir>', 'grid directory', 'runs/table1')
    .addOption(
      new Option(
        '--preset <name>',
        'paper: paper settings; quick: shorter warm-up, more frequent evaluations',
      )
        .choices(Object.keys(GRID_PRESETS))
        .default('paper'),
    )
    .option(
      '--algo-preset <name>',
      'train every algorithm that offers this preset with it (e.g. quick: smaller ALM, SAC-SVG, MnM networks)',
    )
    .option(
      '--set <key=value>',
      'a setting for every new run, repeatable (passed to the training program)',
      collect,
      [],
    )
    .option('--config <file.json>', 'a settings file for every new run (passed to the training program)')
    .option(
      '--dry-run',
      'print the plan (and what is finished) without running anything; with --slurm: write the job script, do not submit',
    )
    .option(
      '--slurm',
      'submit the grid as one Slurm job array (one cell per array task) instead of running it here',
    )
    .option('--partition <name>', '--slurm: the partition')
    .option(
      '--time <limit>',
      '--slurm: time limit per cell and attempt (HH:MM:SS, D-HH:MM:SS or minutes)',
      slurmTime,
    )
    .option(
      '--cpus-per-task <n>',
      '--slurm: CPUs per cell (its product threads); default 1',
      positiveInt('--cpus-per-task'),
    )
    .option('--gpus-per-task <n>', '--slurm: GPUs per cell', positiveInt('--gpus-per-task'))
    .option(
      '--max-running <m>',
      '--slurm: cells running at once (the array throttle %M)',
      positiveInt('--max-running'),
    )
    .option(
      '--signal-before <s>',
      `--slurm: seconds before the time limit at which a cell checkpoints and requeues itself (default ${DEFAULT_SIGNAL_BEFORE})`,
      positiveInt('--signal-before'),
    )
    .option(
      '--sbatch-arg <arg>',
      '--slurm: a further sbatch option, e.g. --sbatch-arg=--account=rl (repeatable)',
      collect,
      [],
    )
    .option(
      '--shard <i/n>',
      'run here only the cells whose index is i mod n (any other scheduler: Kubernetes, CI matrix)',
      shardSpec,
    )
    .option(
      '--max-failures <n>',
      `--slurm / --shard: failures (not signals) after which a cell is not tried again (default ${DEFAULT_MAX_FAILURES})`,
      positiveInt('--max-failures'),
    )
    .option('--retry-failed', '--slurm / --shard: give failed cells their tries back')
    .action(async (flags: Table1Flags) => {
      exit.code = await table1Command(flags, {
        repoRoot,
        print,
        handleSignals: options.handleSignals,
        env: options.env,
      });
    });

  program
    .command('cell')
    .description(
      'run one cell of a grid written by table1 --slurm or --shard (a Slurm array task, a Kubernetes Indexed Job pod): ' +
        'resume it from its checkpoint, skip it when done',
    )
    .requiredOption('--grid <grid.json>', 'the grid (its grid.json, or the folder holding it)')
    .requiredOption('--index <i>', 'the cell (0 .. cells - 1)', nonNegativeInt('--index'))
    .option('--slurm', 'run under the Slurm job script of table1 --slurm (its signals and requeue)')
    .action(async (flags: CellFlags) => {
      exit.code = await cellCommand(flags, { repoRoot, print, env: options.env });
    });

  program
    .command('status')
    .description(
      'one line per cell of a grid (done / running / preempted / failed / pending, steps, last evaluation, log) and a summary',
    )
    .requiredOption('--grid <dir>', 'the grid folder (or its grid.json)')
    .action((flags: { grid: string }) => {
      statusCommand(flags, print);
    });

  program
    .command('report')
    .description(
      'write table1.md / table1.csv, learning curves (SVG, PNG), wall-clock per step and summary.json for a grid',
    )
    .requiredOption('--runs <dir>', 'grid directory written by table1 (<dir>/<env>/<algo>/seed<k>)')
    .option('--out <dir>', 'report directory (default <runs>/report)')
    .action(async (flags: { runs: string; out?: string }) => {
      const out = flags.out ?? join(flags.runs, 'report');
      const { reportCommand } = await import('./report/report-command');
      await reportCommand({ runs: flags.runs, out }, { print });
    });

  program
    .command('compare')
    .description(
      "ALM runs against the paper's released learning curves at equal updates: compare.md, compare.json, " +
        'a figure per task and the training diagnostics (KL, classifier accuracy, losses, gradient norms)',
    )
    .requiredOption('--runs <dirs...>', 'ALM run directories (config.json, evaluations.csv, metrics.jsonl)')
    .requiredOption('--out <dir>', 'output directory')
    .action(async (flags: { runs: string[]; out: string }) => {
      const { compareCommand } = await import('./compare/compare-command');
      await compareCommand(flags, print);
    });

  program
    .command('plot')
    .description("draw one run's evaluation curve and its logged losses to <out>/run.svg and run.png")
    .requiredOption('--run <dir>', 'one run directory (config.json, evaluations.csv, metrics.jsonl)')
    .option('--out <dir>', 'output directory (default <run>/plot)')
    .option(
      '--metrics <names>',
      'comma-separated metrics.jsonl keys (default: every loss)',
      commaList('--metrics'),
    )
    .action(async (flags: { run: string; out?: string; metrics?: string[] }) => {
      await plotCommand(flags, { print });
    });

  program
    .command('ablations')
    .description(
      "train the ablation variants of the paper's Figure 5 on one task (<out>/<env>/<variant>/seed<k>) and write " +
        'one table and one learning-curve figure per ablation set',
    )
    .requiredOption('--env <id>', 'the task, e.g. Pendulum-v1 or HalfCheetah-v4')
    .option(
      '--sets <names>',
      `comma-separated ablation sets (default: all; ${ABLATION_SETS.map((s) => `${s.key}: ${s.figure}`).join(', ')})`,
      commaList('--sets'),
    )
    .option('--seeds <n>', 'seeds per variant (seeds 0 .. n-1)', positiveInt('--seeds'), 5)
    .option('--steps <n>', 'environment steps per run', positiveInt('--steps'), 200_000)
    .option('--parallel <n>', 'runs at once (default: one per core)', positiveInt('--parallel'))
    .option('--out <dir>', 'grid directory (the report goes to <out>/report/<env>)', 'runs/ablations')
    .addOption(
      new Option(
        '--preset <name>',
        'loop settings, as for table1 (paper, or quick: shorter warm-up, frequent evaluations)',
      )
        .choices(Object.keys(GRID_PRESETS))
        .default('paper'),
    )
    .addOption(
      new Option(
        '--alm-preset <name>',
        "the alm app's preset for the ALM variants (quick: smaller networks); default: --preset",
      ).choices(['paper', 'quick']),
    )
    .option(
      '--set <key=value>',
      'a setting for every new run, repeatable (variant settings win)',
      collect,
      [],
    )
    .option('--config <file.json>', 'a settings file for every new run')
    .option('--dry-run', 'print the plan (and what is finished) without running anything')
    .option('--report-only', 'write the report of the runs there are, train nothing')
    .action(async (flags: AblationsFlags) => {
      const { ablationsCommand } = await import('./ablations/ablations-command');
      exit.code = await ablationsCommand(flags, { repoRoot, print, handleSignals: options.handleSignals });
    });

  const backendOption = () =>
    new Option('--backend <name>', 'tensor backend').choices([...BACKENDS]).default('auto');
  program
    .command('bias')
    .description(
      "Q-value and ALM lower-bound bias against Monte Carlo returns (the paper's Figures 4 and 8) at a run's latest checkpoint",
    )
    .requiredOption('--run <dir>', 'one run directory (config.json, checkpoints/)')
    .option('--out <dir>', 'output directory (default <run>/analysis)')
    .option('--states <n>', 'state-action pairs to compare', positiveInt('--states'), 1000)
    .option('--cutoff <n>', 'pairs kept from the start of each episode', positiveInt('--cutoff'), 350)
    .option(
      '--seed <s>',
      'seed of the first episode (episode i: seed + i)',
      nonNegativeInt('--seed'),
      1_000_000,
    )
    .option(
      '--checkpoint <step>',
      "the checkpoint's step (default: the latest)",
      nonNegativeInt('--checkpoint'),
    )
    .addOption(backendOption())
    .action(async (flags: BiasFlags) => {
      const { biasCommand } = await import('./analysis/bias-command');
      await biasCommand(flags, print);
    });

  program
    .command('bias-curve')
    .description(
      "the bias over training of several runs of one task (the paper's Figure 4): mean and std of the normalised bias at every kept checkpoint",
    )
    .requiredOption('--runs <dirs...>', 'run directories of one task (config.json, checkpoints/)')
    .requiredOption('--out <dir>', 'where bias-curve.csv|json|svg|png and the per-checkpoint analyses go')
    .option('--states <n>', 'state-action pairs per checkpoint', positiveInt('--states'), 1000)
    .option('--cutoff <n>', 'pairs kept from the start of each episode', positiveInt('--cutoff'), 350)
    .option(
      '--seed <s>',
      'seed of the first episode (episode i: seed + i)',
      nonNegativeInt('--seed'),
      1_000_000,
    )
    .option(
      '--checkpoints <steps>',
      'comma-separated checkpoint steps (default: every kept checkpoint)',
      stepList,
    )
    .addOption(backendOption())
    .action(async (flags: BiasCurveFlags) => {
      const { biasCurveCommand } = await import('./analysis/bias-curve-command');
      await biasCurveCommand(flags, print);
    });

  program
    .command('rollout')
    .description(
      "latent rollout accuracy (the paper's Figure 7): the model unrolled from e(s_0) against e(s_t), per step, at an ALM run's latest checkpoint",
    )
    .requiredOption('--run <dir>', 'one ALM run directory (config.json, checkpoints/)')
    .option('--out <dir>', 'output directory (default <run>/analysis)')
    .option(
      '--episodes <n>',
      'trajectories (episodes of the deterministic policy)',
      positiveInt('--episodes'),
      5,
    )
    .option('--horizon <n>', 'model steps to unroll', positiveInt('--horizon'), 50)
    .option(
      '--seed <s>',
      'seed of the first episode (episode i: seed + i)',
      nonNegativeInt('--seed'),
      1_000_000,
    )
    .option(
      '--checkpoint <step>',
      "the checkpoint's step (default: the latest)",
      nonNegativeInt('--checkpoint'),
    )
    .addOption(backendOption())
    .action(async (flags: RolloutFlags) => {
      const { rolloutCommand } = await import('./analysis/rollout-command');
      await rolloutCommand(flags, print);
    });
  program
    .command('speed')
    .description(
      "wall-clock time per environment step of each algorithm at its paper defaults, in one process (the paper's Figure 3, bottom), with the ratio to ALM",
    )
    .option('--algos <list>', 'algorithms, comma-separated', commaList('--algos'), ['alm', 'mbpo', 'redq'])
    .option('--env <id>', 'the task whose sizes the agents are built for', 'HalfCheetah-v4')
    .requiredOption('--out <dir>', 'where speed.json and speed.md go')
    .option('--steps <n>', 'timed environment steps per algorithm', positiveInt('--steps'), 5)
    .option('--warmup <n>', 'untimed updates first', nonNegativeInt('--warmup'), 2)
    .option('--data <n>', 'random-action transitions in the replay', positiveInt('--data'), 5000)
    .option('--seed <s>', 'seed of the agents and the data', nonNegativeInt('--seed'), 0)
    .addOption(backendOption())
    .action(async (flags: SpeedFlags) => {
      const { speedCommand } = await import('./speed/speed-command');
      await speedCommand(flags, print);
    });
  return program;
}

/** Parse argv (without node and script) and run; resolves to the exit code. */
export async function runRepro(argv: readonly string[], options: ReproCliOptions = {}): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const exit = { code: 0 };
  const program = buildProgram(options, exit);
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(
      argv.filter((a) => a !== '--verbose'),
      { from: 'user' },
    );
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version'
      )
        return 0;
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`mbrl-repro: error: ${message.split('\n')[0]}\n`);
    if (verbose && error instanceof Error && error.stack) stderr.write(error.stack + '\n');
    else if (!(error instanceof ReproInputError))
      stderr.write('(run again with --verbose for the stack trace)\n');
    return error instanceof ReproInputError ? 2 : 1;
  }
}
