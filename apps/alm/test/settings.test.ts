/**
 * `alm settings`: ALM is the one algorithm, so no --algo; every key with the values of the paper
 * (Table 3) and the quick preset, checked against the schema and on hand-picked keys.
 */
import { Writable } from 'node:stream';
import { almAlgorithm } from '@mbrl-ts/agents';
import { trainerSchema, type SettingDescription } from '@mbrl-ts/harness';
import { runAlm } from '../src/cli';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, callback) {
        append(String(chunk));
        callback();
      },
    });
  const code = await runAlm(argv, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
  });
  return { code, stdout, stderr };
}

it('lists every loop and ALM key, defaults under paper and quick', async () => {
  const outcome = await run('settings', '--json');
  expect(outcome.code).toBe(0);
  const settings = JSON.parse(outcome.stdout) as SettingDescription[];
  expect(settings.map((s) => s.key)).toEqual([
    ...Object.keys(trainerSchema),
    ...Object.keys(almAlgorithm.schema),
  ]);
  const schema = { ...trainerSchema, ...almAlgorithm.schema } as Record<
    string,
    { default: unknown; doc: string }
  >;
  const quick = almAlgorithm.presets?.quick as Record<string, unknown>;
  for (const s of settings) {
    expect(s.doc).toBe(schema[s.key].doc);
    expect(s.defaults).toEqual({
      paper: schema[s.key].default,
      quick: s.key in quick ? quick[s.key] : schema[s.key].default,
    });
  }
  const byKey = new Map(settings.map((s) => [s.key, s]));
  // ALM Table 3: batch size 512; the quick preset: 128
  expect(byKey.get('batchSize')).toEqual({
    key: 'batchSize',
    group: 'alm',
    type: 'int',
    min: 2,
    max: 65_536,
    defaults: { paper: 512, quick: 128 },
    doc: 'ALM Table 3: batch size 512 (sequences and transitions)',
  });
  expect(byKey.get('learningRate')).toMatchObject({
    type: 'number',
    greaterThan: 0,
    defaults: { paper: 1e-4, quick: 3e-4 },
  });
  expect(byKey.get('precision')).toMatchObject({
    group: 'loop',
    type: 'enum',
    values: ['fp32', 'bf16', 'bf16-rounded'],
  });
});

it('prints a block per key; --help points to it', async () => {
  const lines = (await run('settings')).stdout.split('\n');
  const at = lines.indexOf('  batchSize  (int, 2 to 65536)');
  expect(lines.slice(at, at + 3)).toEqual([
    '  batchSize  (int, 2 to 65536)',
    '    paper 512 · quick 128',
    '    ALM Table 3: batch size 512 (sequences and transitions)',
  ]);
  expect(lines[0]).toMatch(/^alm: settings of alm runs \(/);
  expect(lines.indexOf('  warmupSteps  (int, 0 to 100000000)')).toBeGreaterThan(0);
  expect((await run('--help')).stdout).toContain('default per preset and source: alm settings\n');
  // alm has one algorithm: --algo is not an option of settings
  expect((await run('settings', '--algo', 'alm')).code).toBe(2);
});
