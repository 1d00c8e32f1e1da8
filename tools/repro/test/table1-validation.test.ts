/**
 * table1 checks every new cell's settings with the cell's own program before starting any (and
 * before --dry-run prints a plan): one line naming the cell, exit 2, no grid.json, no run folders.
 * Strict counts on its own flags too. In-process; no training.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runRepro } from '../src/cli';

async function repro(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await runRepro(args, { stdout, stderr });
  return { code, stdout: out, stderr: err };
}

const work = mkdtempSync(join(tmpdir(), 'repro-table1-check-'));
const grid = (name: string, extra: string[]) => [
  ...['table1', '--envs', 'Pendulum-v1', '--algos', 'sac,td3', '--seeds', '2', '--steps', '300'],
  ...['--out', join(work, name), ...extra],
];

describe('table1 validates every cell before starting any', () => {
  it.each([
    [
      ['--set', 'batchSize=1e9'],
      /Pendulum-v1\/sac\/seed0: --set batchSize: "batchSize" must be an integer in decimal digits/,
    ],
    [['--set', 'learningRat=0.1'], /Pendulum-v1\/sac\/seed0: --set: unknown key "learningRat" for sac/],
    [['--set', '__proto__=1'], /Pendulum-v1\/sac\/seed0: --set: unknown key "__proto__" for sac/],
    [
      ['--set', 'evalEpisodes=5000'],
      /Pendulum-v1\/sac\/seed0: --set evalEpisodes: "evalEpisodes" must be <= 1000/,
    ],
  ])(
    '%j, with and without --dry-run',
    async (extra, pattern) => {
      for (const dry of [['--dry-run'], []]) {
        const name = `grid-${extra.join('-').replace(/\W/g, '_')}-${dry.length}`;
        const outcome = await repro(grid(name, [...extra, ...dry]));
        const lines = outcome.stderr.trimEnd().split('\n');
        expect({ code: outcome.code, lines: lines.length }).toEqual({ code: 2, lines: 1 });
        expect(lines[0]).toMatch(pattern);
        expect(lines[0]).toMatch(/\(no run was started\)$/);
        expect(existsSync(join(work, name))).toBe(false);
      }
    },
    60_000,
  );

  it('a config file with a key no algorithm has', async () => {
    const path = join(work, 'bad.json');
    writeFileSync(path, JSON.stringify({ toString: 1 }));
    const outcome = await repro(grid('grid-config', ['--config', path, '--dry-run']));
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(
      /Pendulum-v1\/sac\/seed0: config file .*bad.json: unknown key "toString" for sac/,
    );
  }, 60_000);

  it('settings every cell accepts pass, and the dry run prints its plan', async () => {
    const outcome = await repro(grid('grid-good', ['--set', 'evalEpisodes=2', '--dry-run']));
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('Pendulum-v1/td3/seed1: fresh');
  }, 60_000);

  it.each(['1e3', '0x10', ' 300 ', '-1'])('--steps %j', async (steps) => {
    const outcome = await repro(['table1', '--steps', steps, '--dry-run', '--out', join(work, 'never')]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/--steps must be an integer >= 1/);
  });
});
