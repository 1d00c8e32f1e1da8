/**
 * table1 --slurm and --shard on bad input: no sbatch on PATH, a bad --time, a shard out of range,
 * an existing grid.json with other settings, Slurm options without --slurm. Each is one line on
 * stderr, exit 2, and nothing submitted: an `sbatch` placed first on PATH records every call, and
 * no call may be recorded. The same recording sbatch checks what a good submission passes it.
 * Then the job script's text, the array spec and the time parser against hand-written values, and
 * the cell's thread count from the allocation. In-process; no training, no Slurm.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { cellEnvironment } from '../src/cell-command';
import { runRepro } from '../src/cli';
import { arraySpec, parseSlurmTime } from '../src/slurm';

const work = mkdtempSync(join(tmpdir(), 'repro-slurm-input-'));
const fakeBin = join(work, 'bin');
const calls = join(work, 'sbatch-calls.txt');
mkdirSync(fakeBin);
// records its arguments and answers like `sbatch --parsable`
writeFileSync(join(fakeBin, 'sbatch'), `#!/bin/sh\necho "$@" >> '${calls}'\necho 4242\n`);
chmodSync(join(fakeBin, 'sbatch'), 0o755);
const withSbatch = { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` };
const withoutSbatch = { ...process.env, PATH: join(work, 'empty') };

async function repro(args: string[], env: NodeJS.ProcessEnv = withSbatch) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await runRepro(args, { stdout, stderr, env });
  return { code, stdout: out, stderr: err };
}

const grid = (out: string, extra: string[] = []) => [
  ...['table1', '--envs', 'Pendulum-v1', '--algos', 'sac,td3', '--seeds', '2', '--steps', '300'],
  ...['--out', out, ...extra],
];

/** One line on stderr, exit 2, sbatch never called. */
function expectRefused(outcome: { code: number; stderr: string }, pattern: RegExp) {
  const lines = outcome.stderr.trimEnd().split('\n');
  expect({ code: outcome.code, lines: lines.length }).toEqual({ code: 2, lines: 1 });
  expect(lines[0]).toMatch(pattern);
  expect(existsSync(calls)).toBe(false);
}

describe('bad input: one line, exit 2, nothing submitted', () => {
  it('no sbatch on PATH', async () => {
    const out = join(work, 'no-sbatch');
    const outcome = await repro(grid(out, ['--slurm']), withoutSbatch);
    expectRefused(outcome, /^mbrl-repro: error: --slurm: sbatch is not on PATH .*--dry-run/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it.each(['4h', '1:2', '00:60:00', '10:00:61', '1-24:00:00', '0', '00:00:00', ' 01:00:00', '1e3'])(
    '--time %j',
    async (time) => {
      const outcome = await repro(grid(join(work, 'time'), ['--slurm', '--time', time]));
      expectRefused(outcome, /--time must be HH:MM:SS, D-HH:MM:SS or whole minutes/);
    },
  );

  it.each(['2/2', '0/0', '3/2', '-1/2', '1', 'a/b', '1/2/3', ' 0/2'])('--shard %j', async (shard) => {
    const outcome = await repro(grid(join(work, 'shard'), ['--shard', shard]));
    expectRefused(outcome, /--shard must be i\/n with 0 <= i < n/);
  });

  it('--signal-before not shorter than --time', async () => {
    const outcome = await repro(
      grid(join(work, 'signal'), ['--slurm', '--time', '00:05:00', '--signal-before', '300']),
    );
    expectRefused(outcome, /--signal-before 300 s is not shorter than --time 00:05:00 \(300 s\)/);
  });

  it('Slurm options without --slurm, --slurm with --shard or --parallel', async () => {
    expectRefused(
      await repro(grid(join(work, 'opts'), ['--partition', 'gpu'])),
      /--partition only apply with --slurm/,
    );
    expectRefused(
      await repro(grid(join(work, 'opts'), ['--slurm', '--shard', '0/2'])),
      /--slurm and --shard exclude each other/,
    );
    expectRefused(
      await repro(grid(join(work, 'opts'), ['--slurm', '--parallel', '4'])),
      /with --slurm use --max-running/,
    );
    expect(existsSync(join(work, 'opts'))).toBe(false);
  });

  it('an existing grid.json with other settings (for --slurm and for --shard)', async () => {
    const out = join(work, 'existing');
    // --dry-run writes grid.json and the job script without submitting
    const dry = await repro(grid(out, ['--slurm', '--dry-run', '--set', 'evalEpisodes=1']));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`wrote ${join(out, 'table1-slurm.sh')} (not submitted)`);
    expect(existsSync(calls)).toBe(false);
    const before = readFileSync(join(out, 'grid.json'), 'utf8');
    expect(JSON.parse(before).cells).toHaveLength(4);

    for (const [extra, pattern] of [
      [['--slurm', '--steps', '400', '--set', 'evalEpisodes=1'], /steps 400 here, 300 there/],
      [['--slurm'], /set \[\] here, \["evalEpisodes=1"\] there/],
      [['--shard', '0/2', '--seeds', '3', '--set', 'evalEpisodes=1'], /seeds 3 here, 2 there/],
      [['--set', 'evalEpisodes=1', '--algos', 'sac'], /algos \["sac"\] here, \["sac","td3"\] there/],
    ] as const) {
      const outcome = await repro([...grid(out), ...extra]);
      expectRefused(outcome, new RegExp(`grid.json holds a grid with other settings \\(.*${pattern.source}`));
    }
    expect(readFileSync(join(out, 'grid.json'), 'utf8')).toBe(before);
  }, 120_000);
});

describe('a good submission', () => {
  it('writes grid.json and the script, then submits it once with sbatch --parsable', async () => {
    const out = join(work, 'good');
    const outcome = await repro(
      grid(out, [
        ...[
          '--slurm',
          '--time',
          '1-00:00:00',
          '--partition',
          'cpu',
          '--cpus-per-task',
          '2',
          '--max-running',
          '3',
        ],
        ...['--sbatch-arg=--account=rl', '--sbatch-arg', '--mem=4G'],
      ]),
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('submitted job array 4242 (4 task(s), at most 3 at a time)');
    expect(outcome.stdout).toContain(`squeue -j 4242`);
    expect(outcome.stdout).toContain(`mbrl-repro status --grid ${out}`);
    const script = join(out, 'table1-slurm.sh');
    expect(readFileSync(calls, 'utf8')).toBe(`--parsable ${script}\n`);
    const text = readFileSync(script, 'utf8');
    const directives = text.split('\n').filter((l) => l.startsWith('#SBATCH '));
    expect(directives).toEqual([
      '#SBATCH --job-name=mbrl-table1',
      '#SBATCH --array=0-3%3',
      '#SBATCH --cpus-per-task=2',
      '#SBATCH --partition=cpu',
      '#SBATCH --time=1-00:00:00',
      '#SBATCH --requeue',
      '#SBATCH --signal=B:TERM@300',
      '#SBATCH --open-mode=append',
      `#SBATCH --output=${join(out, 'slurm', '%A_%a.out')}`,
      '#SBATCH --account=rl',
      '#SBATCH --mem=4G',
    ]);
    expect(text).toContain(`cell --grid '${join(out, 'grid.json')}'`);
    expect(text).toContain('--index "$SLURM_ARRAY_TASK_ID" --slurm &');
    expect(text).toContain('scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"');
  }, 60_000);
});

describe('the pieces', () => {
  it('parses Slurm times', () => {
    expect(parseSlurmTime('04:00:00')).toBe(4 * 3600);
    expect(parseSlurmTime('1-12:00:00')).toBe(36 * 3600);
    expect(parseSlurmTime('00:10:30')).toBe(630);
    expect(parseSlurmTime('90')).toBe(5400);
    expect(parseSlurmTime('48:00:00')).toBe(48 * 3600);
  });

  it('writes array specs with ranges and the throttle', () => {
    expect(arraySpec([0, 1, 2, 3])).toBe('0-3');
    expect(arraySpec([0, 1, 2, 5, 7, 8], 3)).toBe('0-2,5,7-8%3');
    expect(arraySpec([4])).toBe('4');
  });

  it("takes the product threads from the allocation's CPUs", () => {
    expect(cellEnvironment({ SLURM_CPUS_PER_TASK: '4', MBRL_BLAS_THREADS: '16' })).toMatchObject({
      MBRL_BLAS_THREADS: '4',
      OMP_NUM_THREADS: '4',
      OPENBLAS_NUM_THREADS: '4',
    });
    expect(cellEnvironment({ MBRL_BLAS_THREADS: '2' }).MBRL_BLAS_THREADS).toBe('2');
    expect(cellEnvironment({ SLURM_CPUS_PER_TASK: 'x' }).MBRL_BLAS_THREADS).toBeUndefined();
  });
});
