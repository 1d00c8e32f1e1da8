/**
 * `mbrl-baselines settings --algo X`: every key of the loop's and the algorithm's schema, each with
 * its type, range, default under every preset and its doc, for every algorithm the CLI offers; the
 * text and the JSON say the same; --help points to it; no --algo is one line and exit 2.
 */
import { baselineAlgorithms } from '@mbrl-ts/agents';
import { trainerSchema, type SettingDescription } from '@mbrl-ts/harness';
import { run } from './run-cli';

describe.each(baselineAlgorithms.map((a) => [a.name, a] as const))('settings --algo %s', (name, algo) => {
  it('lists every loop and algorithm key with type, range, defaults per preset and doc', async () => {
    const outcome = await run('settings', '--algo', name, '--json');
    expect(outcome.code).toBe(0);
    const settings = JSON.parse(outcome.stdout) as SettingDescription[];
    const schema = { ...trainerSchema, ...algo.schema } as Record<string, Record<string, unknown>>;
    expect(settings.map((s) => s.key)).toEqual([...Object.keys(trainerSchema), ...Object.keys(algo.schema)]);
    const presets = (algo.presets ?? {}) as Record<string, Record<string, unknown>>;
    for (const setting of settings) {
      const field = schema[setting.key];
      expect({
        key: setting.key,
        type: setting.type,
        doc: setting.doc,
        min: setting.min,
        max: setting.max,
      }).toEqual({
        key: setting.key,
        type: field.kind,
        doc: field.doc,
        min: field.min,
        max: field.max,
      });
      expect(setting.group).toBe(setting.key in trainerSchema ? 'loop' : name);
      const expected: Record<string, unknown> = { paper: field.default };
      for (const [preset, values] of Object.entries(presets))
        expected[preset] = setting.key in values ? values[setting.key] : field.default;
      expect(setting.defaults).toEqual(expected);
    }
  });

  it('prints the same as text: one block per key', async () => {
    const [json, text] = await Promise.all([
      run('settings', '--algo', name, '--json'),
      run('settings', '--algo', name),
    ]);
    const settings = JSON.parse(json.stdout) as SettingDescription[];
    const lines = text.stdout.split('\n');
    for (const setting of settings) {
      const at = lines.findIndex((l) => l.startsWith(`  ${setting.key}  (`));
      expect(at).toBeGreaterThan(0);
      expect(lines[at + 1]).toContain(`paper ${JSON.stringify(setting.defaults.paper)}`);
      expect(lines[at + 2]).toBe(`    ${setting.doc}`);
    }
  });
});

it('SAC-SVG: the horizon and a preset-changed key, as the schema states them', async () => {
  const lines = (await run('settings', '--algo', 'sac-svg')).stdout.split('\n');
  const block = (key: string) => lines.slice(lines.findIndex((l) => l.startsWith(`  ${key}  (`))).slice(0, 3);
  expect(block('horizon')).toEqual([
    '  horizon  (int, 1 to 10)',
    '    paper 3 · quick 3',
    '    SAC-SVG config: horizon 3 (actions in the value expansion; Table 1 of ALM reports H = 2 and 3)',
  ]);
  expect(block('actorLearningRate')[0]).toBe('  actorLearningRate  (number, > 0)');
  expect(block('sequenceBatchSize')[1]).toMatch(/ · quick 128$/);
});

it('without --algo: one line naming the algorithms, exit 2; --help points to settings', async () => {
  const outcome = await run('settings');
  expect(outcome.code).toBe(2);
  expect(outcome.stderr.trim().split('\n')).toEqual([
    `mbrl-baselines: error: --algo is required (one of ${baselineAlgorithms.map((a) => a.name).join(', ')})`,
  ]);
  const help = await run('--help');
  expect(help.stdout).toContain('mbrl-baselines settings --algo <name>');
  const trainHelp = await run('train', '--help');
  expect(trainHelp.stdout.replace(/\s+/g, ' ')).toContain('every key: mbrl-baselines settings');
});
