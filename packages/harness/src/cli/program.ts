/**
 * The command line every mbrl-ts app shares (mbrl-baselines, alm): `train`, `eval` and `envs`,
 * with the same flags, the same run directories and the same errors. An app passes its
 * algorithms; everything else is here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { envSpec, listEnvs, makeEnv, type Env } from '@mbrl-ts/envs';
import { summarize } from '@mbrl-ts/eval';
import { BACKEND_NAMES, initBackend, type BackendRequest } from '@mbrl-ts/kernels';
import { describeStart, recordStart } from '../run-record';
import { ReplayBuffer } from '@mbrl-ts/replay';
import { writeJsonAtomic } from '../atomic';
import { CheckpointDamagedError, verifyCheckpoint, type CheckpointInfo } from '../checkpoints';
import { ConfigError, hasField, parseFlagValue, resolveConfig, type Schema } from '../config';
import { checkOutputPlace } from '../output-place';
import { Progress } from '../progress';
import { claimRunDirectory, RunDirectory, RunDirectoryError } from '../run-dir';
import { RunLock } from '../run-lock';
import { listenForShutdown } from '../shutdown';
import { train } from '../trainer';
import { MAX_STEPS, RESUMABLE_SETTINGS, trainerSchema, type TrainerConfig } from '../trainer-config';
import type { AlgorithmSpec } from './algorithms';
import { reportFailure, UsageError } from './errors';
import { addSettingsCommand } from './settings-command';
import {
  addEvalOutputOptions,
  addViewCommand,
  checkEvalOutputs,
  evaluateWithOutputs,
  type EvalOutputFlags,
} from './view';

const BACKENDS = ['auto', ...BACKEND_NAMES] as const;

/** What a run directory's config.json holds. */
export interface RunConfig {
  readonly algo: string;
  readonly env: string;
  readonly preset: string;
  readonly backend: string;
  readonly trainer: TrainerConfig;
  readonly agent: Record<string, unknown>;
  /**
   * Replay capacity: the algorithm's, capped at the run's length. A resume with more --steps grows
   * it to the new length's (never shrinks it), so an extended run replays what a run started at
   * that length would.
   */
  readonly replayCapacity?: number;
  /** The backend `backend` resolved to when the run last started (a resume without --backend uses it). */
  readonly backendUsed?: string;
  /** Settings changed on resume, each with the step it took effect at. */
  readonly resumes?: readonly ResumeRecord[];
}

/** One resume that changed settings: the step, and each changed setting's old and new value. */
export interface ResumeRecord {
  readonly step: number;
  readonly changed: Readonly<Record<string, { readonly from: unknown; readonly to: unknown }>>;
}

export interface CliOptions {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly algorithms: readonly AlgorithmSpec[];
  /** Algorithm used when --algo is not given (apps with one algorithm). */
  readonly defaultAlgo?: string;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

/** An integer flag: decimal digits only (no sign, exponent, hex or spaces), within [min, max]. */
function parseInteger(flag: string, min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(
        `${flag} must be an integer from ${min} to ${max} in decimal digits, got ${JSON.stringify(raw)}`,
      );
    }
    return value;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function readJsonFile(path: string, what: string): unknown {
  if (!existsSync(path)) throw new UsageError(`${what} ${path} does not exist`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function findAlgorithm(options: CliOptions, name: string | undefined): AlgorithmSpec {
  const wanted = name ?? options.defaultAlgo;
  const known = options.algorithms.map((a) => a.name);
  if (wanted === undefined) throw new UsageError(`--algo is required (one of ${known.join(', ')})`);
  const spec = options.algorithms.find((a) => a.name === wanted);
  if (!spec) throw new UsageError(`unknown algorithm "${wanted}" (known: ${known.join(', ')})`);
  return spec;
}

function checkEnvId(id: string): void {
  envSpec(id); // throws UnknownEnvError listing the known ids
}

/** Split a flat settings object into the loop's settings and the algorithm's settings. */
function splitSettings(
  algo: AlgorithmSpec,
  settings: Record<string, unknown>,
  source: string,
): { trainer: Record<string, unknown>; agent: Record<string, unknown> } {
  const trainer: Record<string, unknown> = {};
  const agent: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (hasField(trainerSchema, key)) trainer[key] = value;
    else if (hasField(algo.schema, key)) agent[key] = value;
    else {
      const known = [...Object.keys(trainerSchema), ...Object.keys(algo.schema)];
      throw new ConfigError(
        `${source}: unknown key "${key}" for ${algo.name} (known keys: ${known.join(', ')})`,
      );
    }
  }
  return { trainer, agent };
}

function parseSetFlags(algo: AlgorithmSpec, sets: readonly string[]): Record<string, unknown> {
  const schema: Schema = { ...trainerSchema, ...algo.schema };
  const out: Record<string, unknown> = {};
  for (const item of sets) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects key=value, got ${JSON.stringify(item)}`);
    const key = item.slice(0, eq);
    const field = hasField(schema, key) ? schema[key] : undefined;
    if (!field) {
      throw new ConfigError(
        `--set: unknown key "${key}" for ${algo.name} (known keys: ${Object.keys(schema).join(', ')})`,
      );
    }
    out[key] = parseFlagValue(key, field, item.slice(eq + 1), `--set ${key}`);
  }
  return out;
}

/** One algorithm flag as registered on the train command: its commander attribute and owners. */
interface AlgorithmFlag {
  readonly syntax: string;
  readonly attribute: string;
  readonly flag: string;
  /** Algorithm name -> the schema key the flag sets for it. */
  readonly keys: Map<string, string>;
}

/** The algorithms' own flags, merged by flag (two algorithms may offer the same one). */
function algorithmFlags(algorithms: readonly AlgorithmSpec[], reserved: readonly string[]): AlgorithmFlag[] {
  const byFlag = new Map<string, AlgorithmFlag>();
  for (const algo of algorithms) {
    for (const [key, syntax] of Object.entries(algo.flags ?? {})) {
      if (typeof syntax !== 'string') continue;
      if (!hasField(algo.schema, key)) {
        throw new TypeError(
          `algorithm ${algo.name}: flag ${syntax} names "${key}", which is not in its schema`,
        );
      }
      const option = new Option(syntax);
      const flag = option.long ?? syntax;
      if (reserved.includes(option.attributeName())) {
        throw new TypeError(
          `algorithm ${algo.name}: flag ${syntax} collides with the train command's own ${flag}`,
        );
      }
      const entry = byFlag.get(flag) ?? { syntax, attribute: option.attributeName(), flag, keys: new Map() };
      entry.keys.set(algo.name, key);
      byFlag.set(flag, entry);
    }
  }
  return [...byFlag.values()];
}

/** Settings from the algorithm flags given on the command line, checked against the chosen algorithm. */
function parseAlgorithmFlags(
  algo: AlgorithmSpec,
  flags: readonly AlgorithmFlag[],
  given: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of flags) {
    const raw = given[entry.attribute];
    if (raw === undefined) continue;
    const key = entry.keys.get(algo.name);
    if (key === undefined) {
      throw new UsageError(
        `${entry.flag} is not a setting of ${algo.name} (it is for ${[...entry.keys.keys()].join(', ')})`,
      );
    }
    out[key] = parseFlagValue(key, algo.schema[key], String(raw), entry.flag);
  }
  return out;
}

interface TrainFlags {
  algo?: string;
  env?: string;
  steps?: number;
  seed?: number;
  config?: string;
  set: string[];
  preset: string;
  out?: string;
  backend: BackendRequest;
  resume?: string;
  plain?: boolean;
  /** Algorithm flags (see `flags` in AlgorithmSpec), by commander attribute name. */
  [attribute: string]: unknown;
}

function resolveRunConfig(
  options: CliOptions,
  flags: TrainFlags,
): { algo: AlgorithmSpec; config: RunConfig } {
  const algo = findAlgorithm(options, flags.algo);
  if (!flags.env) throw new UsageError('--env is required (see the envs command for the list)');
  checkEnvId(flags.env);
  const presets = algo.presets ?? {};
  if (flags.preset !== 'paper' && !(flags.preset in presets)) {
    throw new UsageError(
      `unknown preset "${flags.preset}" for ${algo.name} (known: paper, ${Object.keys(presets).join(', ')})`,
    );
  }
  const layers: Array<[string, Record<string, unknown>]> = [];
  if (flags.preset !== 'paper')
    layers.push([`preset ${flags.preset}`, presets[flags.preset] as Record<string, unknown>]);
  if (flags.config) {
    const file = readJsonFile(resolve(flags.config), 'config file');
    if (typeof file !== 'object' || file === null || Array.isArray(file)) {
      throw new ConfigError(`config file ${flags.config}: expected a JSON object of settings`);
    }
    layers.push([`config file ${flags.config}`, file as Record<string, unknown>]);
  }
  layers.push(['--set', parseSetFlags(algo, flags.set)]);
  layers.push(['algorithm flags', parseAlgorithmFlags(algo, algorithmFlags(options.algorithms, []), flags)]);
  const flagSettings: Record<string, unknown> = {};
  if (flags.steps !== undefined) flagSettings.totalSteps = flags.steps;
  if (flags.seed !== undefined) flagSettings.seed = flags.seed;
  layers.push(['flags', flagSettings]);

  let trainer: Record<string, unknown> = {};
  let agent: Record<string, unknown> = {};
  for (const [source, settings] of layers) {
    const split = splitSettings(algo, settings, source);
    trainer = resolveConfig(trainerSchema, { ...trainer, ...split.trainer }, source);
    agent = resolveConfig(algo.schema, { ...agent, ...split.agent }, source);
  }
  return {
    algo,
    config: {
      algo: algo.name,
      env: flags.env,
      preset: flags.preset,
      backend: flags.backend,
      trainer: resolveConfig(trainerSchema, trainer) as TrainerConfig,
      agent: resolveConfig(algo.schema, agent),
    },
  };
}

/** The algorithm's capacity for the task, capped at the run's length (more could never fill). */
function replayCapacityFor(algo: AlgorithmSpec, config: RunConfig): number {
  return Math.min(algo.replayCapacity(config.env, config.agent as never), config.trainer.totalSteps);
}

async function buildRun(algo: AlgorithmSpec, config: RunConfig) {
  const env = await makeEnv(config.env);
  const evalEnv = await makeEnv(config.env);
  const replay = new ReplayBuffer({
    capacity: config.replayCapacity ?? replayCapacityFor(algo, config),
    observationDim: env.observationSpace.shape[0],
    actionDim: env.actionSpace.shape[0],
  });
  const agent = await algo.create({ env, replay, config: config.agent as never, seed: config.trainer.seed });
  return { env, evalEnv, replay, agent };
}

function closeAll(envs: Env[]): void {
  for (const e of envs) e.close();
}

/** What a train invocation has settled before any work starts. */
interface TrainStart {
  readonly algo: AlgorithmSpec;
  readonly config: RunConfig;
  readonly path: string;
  readonly backend: BackendRequest;
  readonly lock: RunLock;
  /** Resume-time changes of loop settings (empty for a new run). */
  readonly changed: Record<string, { from: unknown; to: unknown }>;
  /** Undo a new run's directory (absent on resume: a resumed run is never removed). */
  readonly abandon?: () => void;
}

function prepareNewRun(options: CliOptions, flags: TrainFlags, warn: (line: string) => void): TrainStart {
  const resolved = resolveRunConfig(options, flags);
  const config = { ...resolved.config, replayCapacity: replayCapacityFor(resolved.algo, resolved.config) };
  const out = flags.out ?? join('runs', `${config.algo}-${config.env}-seed${config.trainer.seed}`);
  const claimed = claimRunDirectory(out, warn);
  return {
    algo: resolved.algo,
    config,
    path: claimed.path,
    backend: flags.backend,
    lock: claimed.lock,
    changed: {},
    abandon: claimed.abandon,
  };
}

/**
 * A resume may change only the run's length (--steps, above the checkpoint's step), the settings in
 * RESUMABLE_SETTINGS (with --set) and the backend; everything else was fixed when the run was made.
 */
function prepareResume(
  options: CliOptions,
  flags: TrainFlags,
  given: (name: string) => boolean,
  warn: (line: string) => void,
): TrainStart {
  const dir = flags.resume as string;
  const fixed = (flag: string) =>
    new UsageError(
      `${flag} cannot change a run being resumed (it was fixed when ${dir} was created); start a new run instead`,
    );
  for (const [attribute, flag] of [
    ['config', '--config'],
    ['out', '--out'],
  ] as const) {
    if (given(attribute)) throw fixed(flag);
  }
  const run = RunDirectory.open(dir);
  const saved = run.readConfig<RunConfig>();
  if (
    typeof saved?.algo !== 'string' ||
    typeof saved?.env !== 'string' ||
    typeof saved?.trainer !== 'object'
  ) {
    throw new RunDirectoryError(`${run.configPath} is not an mbrl-ts run configuration`);
  }
  const algoNames = options.algorithms.map((a) => a.name);
  if (!algoNames.includes(saved.algo)) {
    throw new UsageError(`${dir} is a ${saved.algo} run; ${options.name} trains ${algoNames.join(', ')}`);
  }
  if (flags.algo !== undefined && flags.algo !== options.defaultAlgo && flags.algo !== saved.algo) {
    throw new UsageError(`${dir} is a ${saved.algo} run, not ${flags.algo}; drop --algo or pick another run`);
  }
  if (flags.env !== undefined && flags.env !== saved.env) {
    throw new UsageError(`${dir} is a run on ${saved.env}, not ${flags.env}`);
  }
  const algo = findAlgorithm(options, saved.algo);
  const agentConfig = resolveConfig(algo.schema, saved.agent, run.configPath);
  const savedTrainer = resolveConfig(trainerSchema, saved.trainer, run.configPath) as TrainerConfig;

  // A fixed setting given again with its recorded value is no change (a grid runner repeats the
  // flags that pick the algorithm); another value is refused.
  if (given('seed') && flags.seed !== savedTrainer.seed) throw fixed('--seed');
  if (given('preset') && flags.preset !== saved.preset) throw fixed('--preset');
  for (const [key, value] of Object.entries(
    parseAlgorithmFlags(algo, algorithmFlags(options.algorithms, []), flags),
  )) {
    if (value !== agentConfig[key]) throw fixed(new Option(algo.flags?.[key] ?? `--${key}`).long ?? key);
  }
  const recorded: Record<string, unknown> = { ...savedTrainer, ...agentConfig };
  const everySetting: Schema = { ...trainerSchema, ...algo.schema };
  const allowed: Schema = Object.fromEntries(RESUMABLE_SETTINGS.map((key) => [key, trainerSchema[key]]));
  const overrides: Record<string, unknown> = {};
  for (const item of flags.set) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects key=value, got ${JSON.stringify(item)}`);
    const key = item.slice(0, eq);
    const raw = item.slice(eq + 1);
    if (hasField(allowed, key)) {
      overrides[key] = parseFlagValue(key, allowed[key], raw, `--set ${key}`);
      continue;
    }
    const same =
      hasField(everySetting, key) &&
      parseFlagValue(key, everySetting[key], raw, `--set ${key}`) === recorded[key];
    if (!same) {
      throw new UsageError(
        `--set ${key} cannot change a run being resumed (a resume may change ${RESUMABLE_SETTINGS.join(', ')} and --steps, --backend)`,
      );
    }
  }
  if (flags.steps !== undefined) overrides.totalSteps = flags.steps;
  const trainer = { ...savedTrainer, ...overrides } as TrainerConfig;
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(overrides)) {
    const from = (savedTrainer as Record<string, unknown>)[key];
    if (from !== overrides[key]) changed[key] = { from, to: overrides[key] };
  }
  const savedCapacity =
    saved.replayCapacity ?? replayCapacityFor(algo, { ...saved, trainer: savedTrainer, agent: agentConfig });
  const replayCapacity = Math.max(
    savedCapacity,
    replayCapacityFor(algo, { ...saved, trainer, agent: agentConfig }),
  );
  if (replayCapacity !== savedCapacity) changed.replayCapacity = { from: savedCapacity, to: replayCapacity };
  const recordedBackend = (saved.backendUsed ?? saved.backend ?? 'auto') as BackendRequest;
  const backend = given('backend') ? flags.backend : recordedBackend;
  if (given('backend') && flags.backend !== saved.backend)
    changed.backend = { from: saved.backend, to: flags.backend };
  const lock = RunLock.acquire(run.path, warn);
  return {
    algo,
    config: {
      ...saved,
      backend: changed.backend ? flags.backend : saved.backend,
      trainer,
      agent: agentConfig,
      replayCapacity,
    },
    path: run.path,
    backend,
    lock,
    changed,
  };
}

/** Write the resumed run's settings to config.json, with a record of what changed at which step. */
function recordResume(
  run: RunDirectory,
  config: RunConfig,
  changed: Record<string, { from: unknown; to: unknown }>,
  step: number,
): void {
  const saved = run.readConfig<RunConfig>();
  const backendChanged = saved.backendUsed !== config.backendUsed;
  if (Object.keys(changed).length === 0 && !backendChanged) return;
  const resumes = [...(saved.resumes ?? [])];
  if (Object.keys(changed).length > 0) resumes.push({ step, changed });
  writeJsonAtomic(run.configPath, { ...config, resumes });
}

/** The newest checkpoint of `run` that verifies; damaged newer ones are reported through `warn`. */
function usableCheckpoint(run: RunDirectory, warn: (line: string) => void, step?: number): CheckpointInfo {
  if (step !== undefined) {
    const steps = run.checkpoints.list().map((c) => c.step);
    const chosen = run.checkpoints.list().find((c) => c.step === step);
    if (!chosen)
      throw new UsageError(
        steps.length === 0
          ? `${run.path} has no complete checkpoint yet`
          : `--checkpoint ${step} is not a checkpoint of ${run.path} (it has ${steps.join(', ')})`,
      );
    try {
      verifyCheckpoint(chosen);
    } catch (error) {
      if (error instanceof CheckpointDamagedError) throw new RunDirectoryError(error.message);
      throw error;
    }
    return chosen;
  }
  const { usable, damaged } = run.checkpoints.findUsable();
  if (!usable) {
    throw new RunDirectoryError(
      damaged.length === 0
        ? `${run.path} has no checkpoint to evaluate yet`
        : `${run.path} has no usable checkpoint (${damaged.map((d) => `checkpoint-${d.checkpoint.step}: ${d.reason}`).join('; ')})`,
    );
  }
  for (const d of damaged) warn(`${d.message}; using an older checkpoint`);
  return usable;
}

/** Exit status an action sets without touching process.exitCode. */
export interface CliOutcome {
  exitCode: number;
}

/**
 * `check` builds the same commands, but `train` only validates its arguments (settings, task,
 * output place) and returns without writing anything (see checkTrainArguments).
 */
export function buildProgram(
  options: CliOptions,
  outcome: CliOutcome = { exitCode: 0 },
  mode: 'run' | 'check' = 'run',
): Command {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const print = (line: string) => stdout.write(line + '\n');
  const program = new Command(options.name)
    .description(options.description)
    .version(options.version)
    .option('--verbose', 'show stack traces on errors')
    .showHelpAfterError(false)
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });

  const algoNames = options.algorithms.map((a) => a.name);
  program
    .command('train')
    .description('train an agent on a task; writes a run directory (config, logs, checkpoints)')
    .addOption(
      new Option('--algo <name>', `algorithm (${algoNames.join(', ')})`).default(options.defaultAlgo),
    )
    .option('--env <id>', 'task id (see the envs command)')
    .option('--steps <n>', 'total environment steps', parseInteger('--steps', 1, MAX_STEPS))
    .option('--seed <s>', 'seed of every random stream of the run', parseInteger('--seed', 0, 0xffffffff))
    .option('--config <file.json>', 'JSON object of settings (loop and algorithm keys)')
    .option(
      '--set <key=value>',
      `one setting, repeatable (applied after --config; every key: ${options.name} settings)`,
      collect,
      [],
    )
    .option('--preset <name>', 'paper (the paper defaults) or a smaller named preset', 'paper')
    .option('--out <dir>', 'run directory (default runs/<algo>-<env>-seed<seed>)')
    .addOption(new Option('--backend <name>', 'tensor backend').choices([...BACKENDS]).default('auto'))
    .option('--resume <dir>', 'continue the run in <dir> from its latest checkpoint')
    .option('--plain', 'plain progress lines even on a terminal');
  const trainCommand = program.commands[program.commands.length - 1];
  const reserved = trainCommand.options.map((o) => o.attributeName());
  for (const entry of algorithmFlags(options.algorithms, reserved)) {
    const owners = [...entry.keys].map(([name, key]) => `${name}: ${key}`).join(', ');
    trainCommand.option(entry.syntax, `algorithm setting (${owners}); same as --set`);
  }
  const warn = (line: string) => stderr.write(`${options.name}: warning: ${line}\n`);
  trainCommand.action(async (flags: TrainFlags, command: Command) => {
    const given = (name: string) => {
      const source = command.getOptionValueSource(name);
      return source !== undefined && source !== 'default';
    };
    if (mode === 'check') {
      if (!flags.resume) {
        const { config } = resolveRunConfig(options, flags);
        checkOutputPlace(
          flags.out ?? join('runs', `${config.algo}-${config.env}-seed${config.trainer.seed}`),
        );
      }
      return;
    }
    const start = flags.resume
      ? prepareResume(options, flags, given, warn)
      : prepareNewRun(options, flags, warn);
    const { algo, lock } = start;
    let started = false;
    try {
      const backend = await initBackend(start.backend, {
        logger: (line) => stderr.write(line + '\n'),
        precision: start.config.trainer.precision,
      });
      const config: RunConfig = { ...start.config, backendUsed: backend.name };
      const parts = await buildRun(algo, config);
      const run = flags.resume
        ? RunDirectory.open(start.path, config.trainer.keepCheckpoints)
        : RunDirectory.create(start.path, config, config.trainer.keepCheckpoints);
      print(
        `${options.name}: ${config.algo} on ${config.env}, ${config.trainer.totalSteps} steps, seed ${config.trainer.seed}, backend ${backend.name}, run ${run.path}`,
      );
      const grown = start.changed.replayCapacity;
      if (grown)
        print(`replay capacity grows from ${grown.from} to ${grown.to} transitions for the longer run`);
      const shutdown = listenForShutdown();
      const progress = new Progress({
        totalSteps: config.trainer.totalSteps,
        warmupSteps: config.trainer.warmupSteps,
        evalEvery: config.trainer.evalEvery,
        plain: flags.plain,
        stream: stdout as NodeJS.WriteStream,
      });
      try {
        const result = await train({
          config: config.trainer,
          ...parts,
          run,
          progress,
          shutdown,
          resume: Boolean(flags.resume),
          totalStepsChanged: start.changed.totalSteps !== undefined,
          warn,
          onStart: ({ step }) => {
            started = true;
            recordStart(run.path, describeStart(options.name, step, backend));
            // Only now, with the checkpoint loaded and the logs cut, is config.json rewritten.
            if (flags.resume) recordResume(run, config, start.changed, step);
          },
        });
        const last = result.lastEvaluation;
        print(
          result.finished
            ? `finished ${result.steps} steps; last evaluation ${last ? last.returnMean.toFixed(2) : 'n/a'}; run ${run.path}`
            : `stopped at step ${result.steps} (${result.interruptedBy}); resume with: ${options.name} train --resume ${run.path}`,
        );
        if (!result.finished) outcome.exitCode = 130;
      } finally {
        shutdown.dispose();
        parts.agent.dispose();
        closeAll([parts.env, parts.evalEnv]);
      }
    } catch (error) {
      // A new run that could not start leaves nothing behind (a retry with the same --out works).
      if (!started && start.abandon) start.abandon();
      throw error;
    } finally {
      lock.release();
    }
  });

  program
    .command('eval')
    .description("evaluate a run's latest checkpoint (or --checkpoint N) with the deterministic policy")
    .requiredOption('--run <dir>', 'run directory')
    .option(
      '--checkpoint <step>',
      "the checkpoint's step (default the newest usable one)",
      parseInteger('--checkpoint', 0, 1e12),
    )
    .option('--episodes <m>', 'evaluation episodes', parseInteger('--episodes', 1, 1_000), 10)
    .option(
      '--seed <s>',
      'seed of the first evaluation episode',
      parseInteger('--seed', 0, 0xffffffff),
      1_000_000,
    )
    .addOption(new Option('--backend <name>', 'tensor backend').choices([...BACKENDS]).default('auto'))
    .action(
      async (
        flags: {
          run: string;
          checkpoint?: number;
          episodes: number;
          seed: number;
          backend: BackendRequest;
        } & EvalOutputFlags,
        command: Command,
      ) => {
        checkEvalOutputs(flags);
        const run = RunDirectory.open(flags.run);
        const saved = run.readConfig<RunConfig>();
        if (!algoNames.includes(saved?.algo)) {
          throw new UsageError(
            `${flags.run} is a ${saved?.algo ?? 'unknown'} run; ${options.name} evaluates ${algoNames.join(', ')}`,
          );
        }
        const checkpoint = usableCheckpoint(run, warn, flags.checkpoint);
        const algo = findAlgorithm(options, saved.algo);
        const savedTrainer = resolveConfig(trainerSchema, saved.trainer, run.configPath);
        // without --backend, the backend the run trained on (its numbers, not auto's choice here)
        const backend =
          command.getOptionValueSource('backend') === 'default'
            ? ((saved.backendUsed ?? saved.backend ?? 'auto') as BackendRequest)
            : flags.backend;
        await initBackend(backend, {
          logger: (line) => stderr.write(line + '\n'),
          precision: savedTrainer.precision,
        });
        const config = { ...saved, agent: resolveConfig(algo.schema, saved.agent, run.configPath) };
        const parts = await buildRun(algo, config);
        try {
          try {
            await parts.agent.load(join(checkpoint.dir, 'agent'));
          } catch (error) {
            throw new RunDirectoryError(
              `checkpoint ${checkpoint.dir} matches its manifest but does not fit this agent: ${(error as Error).message.split('\n')[0]}`,
            );
          }
          const result = await evaluateWithOutputs(
            parts.agent,
            parts.evalEnv,
            flags.episodes,
            { seed: flags.seed, step: checkpoint.step, algo: saved.algo },
            flags,
          );
          const s = summarize(result.returns);
          print(
            JSON.stringify({
              run: run.path,
              checkpointStep: checkpoint.step,
              episodes: flags.episodes,
              returnMean: s.mean,
              returnStd: s.std,
              returns: result.returns,
              lengths: result.lengths,
              ...result.outputs,
            }),
          );
        } finally {
          parts.agent.dispose();
          closeAll([parts.env, parts.evalEnv]);
        }
      },
    );

  addEvalOutputOptions(program.commands[program.commands.length - 1], parseInteger);

  program
    .command('envs')
    .description('list the registered tasks with their observation and action sizes')
    .action(async () => {
      for (const id of listEnvs()) {
        const env = await makeEnv(id);
        print(
          `${id.padEnd(28)} obs ${String(env.observationSpace.shape[0]).padStart(3)}  act ${String(env.actionSpace.shape[0]).padStart(2)}  limit ${envSpec(id).maxEpisodeSteps}`,
        );
        env.close();
      }
    });

  addSettingsCommand(program, options, (name) => findAlgorithm(options, name), print);
  program.addHelpText(
    'after',
    `\nEvery setting of a run, with its type, range, default per preset and source: ${options.name} settings${options.defaultAlgo === undefined ? ' --algo <name>' : ''}`,
  );
  addViewCommand(program, { name: options.name, algoNames, print, parseInteger });

  return program;
}

/**
 * Validate `train` arguments as `runCli` would, without running or writing anything: resolves when
 * they would start a run, throws the error `runCli` would report otherwise (commander's own parse
 * errors as a UsageError with its message). For tools that start many runs (mbrl-repro table1).
 */
export async function checkTrainArguments(options: CliOptions, argv: readonly string[]): Promise<void> {
  let parseError = '';
  const silent = { write: () => true } as unknown as NodeJS.WritableStream;
  const program = buildProgram({ ...options, stdout: silent, stderr: silent }, { exitCode: 0 }, 'check');
  program.configureOutput({ writeOut: () => {}, writeErr: (text) => (parseError += text) });
  program.exitOverride();
  for (const command of program.commands) {
    command.configureOutput({ writeOut: () => {}, writeErr: (text) => (parseError += text) });
    command.exitOverride();
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      throw new UsageError((parseError.trim().split('\n')[0] || error.message).replace(/^error: /, ''));
    }
    throw error;
  }
}

/** Parse argv and run; returns the exit code (0, 1 for failures, 2 for bad input). */
export async function runCli(options: CliOptions, argv: readonly string[]): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const outcome: CliOutcome = { exitCode: 0 };
  const program = buildProgram(options, outcome);
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(
      argv.filter((a) => a !== '--verbose'),
      { from: 'user' },
    );
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; commander already printed its message.
      if (
        error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version'
      )
        return 0;
      return 2;
    }
    const report = reportFailure(error, options.name, verbose);
    for (const line of report.lines) stderr.write(line + '\n');
    return report.exitCode;
  }
}
