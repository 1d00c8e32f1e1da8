/**
 * `settings [--algo X] [--json]`: every setting a `train` run takes (the loop's, then the
 * algorithm's), each with its type, range, default under every preset (`paper` is the schema's
 * defaults) and its doc string, which names where the default comes from. The same schemas
 * `--config` and `--set` are checked against, so the list is what the run accepts.
 */
import type { Command } from 'commander';
import type { AlgorithmSpec } from './algorithms';
import type { Field, Schema } from '../config';
import { trainerSchema } from '../trainer-config';

/** One setting as `settings --json` prints it. */
export interface SettingDescription {
  readonly key: string;
  /** `loop` (every algorithm) or the algorithm's name. */
  readonly group: string;
  readonly type: Field['kind'];
  /** An enum's values. */
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly greaterThan?: number;
  /** The default under each preset: `paper` first, then the algorithm's presets. */
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly doc: string;
}

/** The settings of `algo`'s runs, loop settings first, in schema order. */
export function describeSettings(algo: AlgorithmSpec): SettingDescription[] {
  const presets = Object.entries(algo.presets ?? {}) as Array<[string, Record<string, unknown>]>;
  const describe = (group: string, schema: Schema): SettingDescription[] =>
    Object.entries(schema).map(([key, field]) => {
      const defaults: Record<string, unknown> = { paper: field.default };
      for (const [name, values] of presets) {
        defaults[name] = Object.prototype.hasOwnProperty.call(values, key) ? values[key] : field.default;
      }
      return {
        key,
        group,
        type: field.kind,
        ...(field.kind === 'enum' ? { values: field.values } : {}),
        ...(field.kind === 'int' || field.kind === 'number'
          ? {
              ...(field.min !== undefined ? { min: field.min } : {}),
              ...(field.max !== undefined ? { max: field.max } : {}),
            }
          : {}),
        ...(field.kind === 'number' && field.greaterThan !== undefined
          ? { greaterThan: field.greaterThan }
          : {}),
        defaults,
        doc: field.doc,
      };
    });
  return [...describe('loop', trainerSchema), ...describe(algo.name, algo.schema)];
}

/** `int, 1 to 65536`, `number, > 0`, `enum: fp32 | bf16`, `boolean`. */
export function typeLine(setting: SettingDescription): string {
  if (setting.type === 'enum') return `enum: ${(setting.values ?? []).join(' | ')}`;
  const bounds: string[] = [];
  if (setting.greaterThan !== undefined) bounds.push(`> ${setting.greaterThan}`);
  if (setting.min !== undefined && setting.max !== undefined) bounds.push(`${setting.min} to ${setting.max}`);
  else if (setting.min !== undefined) bounds.push(`>= ${setting.min}`);
  else if (setting.max !== undefined) bounds.push(`<= ${setting.max}`);
  return [setting.type, ...bounds].join(', ');
}

/** The text `settings` prints: one block per setting (key and type, defaults per preset, doc). */
export function formatSettings(
  programName: string,
  algo: AlgorithmSpec,
  settings: readonly SettingDescription[],
): string[] {
  const presets = ['paper', ...Object.keys(algo.presets ?? {})];
  const lines = [
    `${programName}: settings of ${algo.name} runs (${algo.summary})`,
    `Set with --set key=value or a --config file.json; --preset ${presets.join('|')} picks the defaults.`,
  ];
  for (const group of ['loop', algo.name]) {
    lines.push('', group === 'loop' ? 'loop (every algorithm):' : `${algo.name}:`);
    for (const setting of settings.filter((s) => s.group === group)) {
      const values = presets.map((p) => `${p} ${JSON.stringify(setting.defaults[p])}`).join(' · ');
      lines.push(`  ${setting.key}  (${typeLine(setting)})`, `    ${values}`, `    ${setting.doc}`);
    }
  }
  return lines;
}

/** Register `settings` on a harness program. */
export function addSettingsCommand(
  program: Command,
  options: {
    readonly name: string;
    readonly defaultAlgo?: string;
    readonly algorithms: readonly AlgorithmSpec[];
  },
  findAlgorithm: (name: string | undefined) => AlgorithmSpec,
  print: (line: string) => void,
): void {
  const names = options.algorithms.map((a) => a.name).join(', ');
  const command = program
    .command('settings')
    .description(
      'list every setting of a run (type, range, default per preset, where the default comes from)',
    )
    .option('--json', 'one JSON array instead of text');
  if (options.defaultAlgo === undefined || options.algorithms.length > 1)
    command.option('--algo <name>', `algorithm (${names})`, options.defaultAlgo);
  command.action((flags: { algo?: string; json?: boolean }) => {
    const algo = findAlgorithm(flags.algo ?? options.defaultAlgo);
    const settings = describeSettings(algo);
    if (flags.json) print(JSON.stringify(settings));
    else for (const line of formatSettings(options.name, algo, settings)) print(line);
  });
}
