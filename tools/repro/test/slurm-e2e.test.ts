/**
 * A real single-node Slurm on this machine (Debian's slurm-wlm and munge; munged, slurmctld and
 * slurmd on localhost, started by test/slurm/local-slurm.sh under a temporary folder) runs a tiny
 * grid submitted with `table1 --slurm`: Pendulum-v1 x {sac, td3} x 2 seeds x 500 steps, small
 * networks, a checkpoint every 100 steps. Two running cells are preempted once they have a
 * checkpoint: cell 0 by `scontrol requeue` (Slurm signals every process of the job and requeues
 * it), cell 1 by SIGTERM to its batch shell alone (`scancel --batch --signal=TERM`, what
 * `--signal=B:TERM@...` sends before the time limit: the job script has the cell checkpoint and
 * requeues it with `scontrol requeue`). Both must resume from their checkpoint (run.json's second
 * start at a step > 0), every cell must finish, `status` must read done for all, `report` must
 * render. Skipped, with the reason, where Slurm cannot be installed or started (not root, the
 * packages missing, the daemons refusing).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'mbrl-repro.js');
const localSlurm = join(here, 'slurm', 'local-slurm.sh');
const slurmDir = mkdtempSync(join(tmpdir(), 'repro-slurm-daemons-'));

function startSlurm(): { conf?: string; reason?: string } {
  if (process.getuid?.() !== 0) return { reason: 'not root (slurmd must run as root to launch jobs)' };
  const started = spawnSync(localSlurm, ['start', slurmDir], { encoding: 'utf8', timeout: 60_000 });
  if (started.status !== 0) {
    const why = (started.stderr || started.error?.message || `exit ${started.status}`).trim().split('\n')[0];
    return { reason: `a local Slurm could not be started: ${why}` };
  }
  const conf = /SLURM_CONF=(.*)$/m.exec(started.stdout)?.[1];
  return conf ? { conf } : { reason: `local-slurm.sh printed no SLURM_CONF: ${started.stdout.trim()}` };
}

const slurm = startSlurm();
if (slurm.reason) console.log(`slurm-e2e.test: ${slurm.reason}; the Slurm test is skipped`);
const env = { ...process.env, SLURM_CONF: slurm.conf ?? '' };

afterAll(() => {
  if (!slurm.conf) return;
  spawnSync('scancel', ['--user', 'root'], { env });
  for (let i = 0; i < 50; i++) {
    const queue = spawnSync('squeue', ['-h'], { env, encoding: 'utf8' }).stdout ?? '';
    if (queue.trim() === '') break;
    spawnSync('sleep', ['0.2']);
  }
  spawnSync(localSlurm, ['stop', slurmDir]);
});

function repro(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const slurmCommand = (cmd: string, args: string[]) => execFileSync(cmd, args, { env, encoding: 'utf8' });

interface Start {
  step: number;
  backend: { blas: { threads: number } | null };
}
const starts = (dir: string): Start[] => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).starts;
const checkpointSteps = (dir: string): number[] =>
  existsSync(join(dir, 'checkpoints'))
    ? readdirSync(join(dir, 'checkpoints'))
        .map((n) => /^checkpoint-(\d+)$/.exec(n)?.[1])
        .filter((s): s is string => s !== undefined)
        .map(Number)
    : [];

(slurm.conf ? describe : describe.skip)('table1 --slurm on a real single-node Slurm', () => {
  it('runs the grid as a job array; preempted cells resume from their checkpoints; status and report', async () => {
    const out = mkdtempSync(join(tmpdir(), 'repro-slurm-grid-'));
    const small = [
      'warmupSteps=100',
      'evalEvery=100',
      'evalEpisodes=1',
      'checkpointEvery=100',
      'batchSize=32',
      'hiddenSize=32',
    ];
    const submitted = await repro([
      ...[
        'table1',
        '--slurm',
        '--envs',
        'Pendulum-v1',
        '--algos',
        'sac,td3',
        '--seeds',
        '2',
        '--steps',
        '500',
      ],
      ...['--out', out, '--max-running', '2', '--time', '00:10:00', '--signal-before', '60'],
      ...small.flatMap((kv) => ['--set', kv]),
    ]);
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    const job = /submitted job array (\d+) \(4 task\(s\), at most 2 at a time\)/.exec(submitted.stdout)?.[1];
    expect(job).toBeDefined();
    expect(submitted.stdout).toContain(`squeue -j ${job}`);
    const script = readFileSync(join(out, 'table1-slurm.sh'), 'utf8');
    expect(script).toContain('#SBATCH --array=0-3%2');
    expect(script).toContain('#SBATCH --signal=B:TERM@60');

    const cellDir = (i: number) => join(out, 'Pendulum-v1', i < 2 ? 'sac' : 'td3', `seed${i % 2}`);
    // preempt cells 0 and 1 once their training loop runs (the harness checkpoints on the signal)
    const preempted = new Set<number>();
    const deadline = Date.now() + 120_000;
    const training = (i: number) => {
      const log = join(cellDir(i), 'train.log');
      return existsSync(log) && readFileSync(log, 'utf8').includes('steps/s');
    };
    while (preempted.size < 2) {
      if (Date.now() > deadline)
        throw new Error(`cells 0 and 1 did not start: ${slurmCommand('squeue', [])}`);
      for (const i of [0, 1]) {
        if (preempted.has(i) || !training(i)) continue;
        expect(checkpointSteps(cellDir(i)).every((s) => s < 500)).toBe(true);
        if (i === 0) slurmCommand('scontrol', ['requeue', `${job}_0`]);
        else {
          // scancel retries for a minute and more while Slurm says the job is in transition (as
          // it does when the job requeues itself), and would then signal the requeued job: it is
          // stopped once the cell has had the signal
          const scancel = spawn('scancel', ['--batch', '--signal=TERM', `${job}_1`], {
            env,
            stdio: 'ignore',
          });
          const relayed = () =>
            readFileSync(join(out, 'slurm', `${job}_1.out`), 'utf8').includes("the job's time limit is near");
          while (!relayed()) {
            if (Date.now() > deadline) throw new Error('cell 1 did not get the batch-shell SIGTERM');
            await sleep(100);
          }
          scancel.kill('SIGKILL');
        }
        preempted.add(i);
      }
      await sleep(100);
    }

    // every cell finishes: the array leaves the queue and status reads done
    let status = '';
    while (Date.now() < deadline + 60_000) {
      const queue = slurmCommand('squeue', ['-h', '-j', job!]).trim();
      status = (await repro(['status', '--grid', out])).stdout;
      if (queue === '' && status.includes('status: 4 cells: 4 done')) break;
      await sleep(1000);
    }
    expect(status).toContain('status: 4 cells: 4 done');
    for (let i = 0; i < 4; i++)
      expect(status).toMatch(
        new RegExp(`\\[${i}\\] Pendulum-v1/\\w+/seed\\d: done; checkpoint 500/500 steps`),
      );

    for (const i of preempted) {
      const record = starts(cellDir(i));
      // started once from scratch, then resumed from a checkpoint (not from step 0)
      expect(record.map((s) => s.step > 0)).toEqual([false, true]);
      expect(record[1].step).toBeLessThan(500);
      expect(readFileSync(join(cellDir(i), 'train.log'), 'utf8')).toMatch(
        /resumed from .*checkpoint-\d+ at step \d+/,
      );
      const cell = JSON.parse(readFileSync(join(cellDir(i), 'cell.json'), 'utf8'));
      expect({ phase: cell.phase, attempts: cell.attempts, failures: cell.failures }).toEqual({
        phase: 'done',
        attempts: 2,
        failures: 0,
      });
    }
    // the time-limit path: the script requeued its own task
    expect(readFileSync(join(out, 'slurm', `${job}_1.out`), 'utf8')).toContain(`requeueing ${job}_1`);
    expect(readFileSync(join(out, 'slurm', `${job}_0.out`), 'utf8')).not.toContain('requeueing');
    for (const i of [2, 3]) expect(starts(cellDir(i)).map((s) => s.step)).toEqual([0]);
    // the product threads are the allocation's (--cpus-per-task 1), not the machine's
    for (let i = 0; i < 4; i++)
      for (const start of starts(cellDir(i)))
        if (start.backend.blas) expect(start.backend.blas.threads).toBe(1);

    const report = await repro(['report', '--runs', out]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    const md = readFileSync(join(out, 'report', 'table1.md'), 'utf8');
    expect(md).toMatch(/\| SAC \| [^|]*\(2 seeds, 500\) \|/);
    expect(md).toMatch(/\| TD3 \| [^|]*\(2 seeds, 500\) \|/);
  }, 240_000);
});
