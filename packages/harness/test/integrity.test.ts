/**
 * The pieces that keep runs trustworthy, one at a time: the checkpoint manifest (what it records,
 * what verification catches, which checkpoint a search picks, pruning beside a damaged newer one),
 * the run lock, output places, the non-finite scan of tensor files (and the loop refusing to commit
 * such a checkpoint), and how these failures are reported.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEnv } from '@mbrl-ts/envs';
import { TENSOR_FILE_FORMAT as NN_TENSOR_FILE_FORMAT } from '@mbrl-ts/nn';
import { ReplayBuffer } from '@mbrl-ts/replay';
import {
  CheckpointStore,
  checkOutputPlace,
  defaultsOf,
  NonFiniteMetricError,
  reportFailure,
  RunDirectory,
  RunLock,
  RunStorageError,
  train,
  trainerSchema,
  verifyCheckpoint,
} from '../src';
import { findNonFiniteTensorValue, TENSOR_FILE_FORMAT } from '../src/finite-state';
import { LinearAgent } from './fixtures/linear-agent';

const tmp = () => mkdtempSync(join(tmpdir(), 'mbrl-integrity-'));

describe('checkpoint manifest', () => {
  it('records every file with its size and SHA-256, the agent files included, and verifies', async () => {
    const store = new CheckpointStore(join(tmp(), 'checkpoints'), 2);
    const info = await store.save(7, (dir) => {
      mkdirSync(join(dir, 'agent'));
      writeFileSync(join(dir, 'agent', 'w.bin'), 'abc');
      writeFileSync(join(dir, 'trainer.json'), '{}');
    });
    const manifest = JSON.parse(readFileSync(join(info.dir, 'COMPLETE.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'mbrl-ts/checkpoint', version: 1, step: 7 });
    expect(manifest.files).toEqual([
      // sha256('abc') and sha256('{}'), computed independently
      {
        path: 'agent/w.bin',
        size: 3,
        sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      },
      {
        path: 'trainer.json',
        size: 2,
        sha256: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      },
    ]);
    expect(verifyCheckpoint(info).step).toBe(7);
    writeFileSync(join(info.dir, 'agent', 'w.bin'), 'abd');
    expect(() => verifyCheckpoint(info)).toThrow(
      /checkpoint-7 is damaged: agent\/w.bin does not match its checksum/,
    );
  });

  it('picks the newest checkpoint that verifies and reports the newer damaged ones', async () => {
    const store = new CheckpointStore(join(tmp(), 'checkpoints'), 3);
    for (const step of [10, 20, 30]) await store.save(step, (d) => writeFileSync(join(d, 'x'), String(step)));
    rmSync(join(store.root, 'checkpoint-30', 'x'));
    mkdirSync(join(store.root, 'checkpoint-40')); // named like one, never committed
    const found = store.findUsable();
    expect(found.usable?.step).toBe(20);
    expect(found.damaged.map((d) => d.reason)).toEqual([`it has no manifest COMPLETE.json`, 'x is missing']);
  });

  it('pruning keeps the checkpoint just written even beside a damaged newer one', async () => {
    const store = new CheckpointStore(join(tmp(), 'checkpoints'), 1);
    await store.save(100, (d) => writeFileSync(join(d, 'x'), 'a'));
    await store.save(50, (d) => writeFileSync(join(d, 'x'), 'b')); // a resume from an older checkpoint
    expect(readdirSync(store.root).sort()).toEqual(['checkpoint-100', 'checkpoint-50']);
    await store.save(60, (d) => writeFileSync(join(d, 'x'), 'c'));
    expect(readdirSync(store.root).sort()).toEqual(['checkpoint-100', 'checkpoint-60']);
  });
});

describe('run lock', () => {
  it('is exclusive, names its holder, and is released', () => {
    const dir = tmp();
    const lock = RunLock.acquire(dir);
    const holder = JSON.parse(readFileSync(join(dir, 'run.lock'), 'utf8'));
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => RunLock.acquire(dir)).toThrow(/is already in use by this process/);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    RunLock.acquire(dir).release();
  });

  it('refuses a live holder on this host or any holder on another host', () => {
    const dir = tmp();
    const sleeper = spawn('sleep', ['20']);
    try {
      writeFileSync(
        join(dir, 'run.lock'),
        JSON.stringify({ pid: sleeper.pid, host: hostname(), startedAt: 'x' }),
      );
      expect(() => RunLock.acquire(dir)).toThrow(
        `is in use by process ${sleeper.pid} on ${hostname()} (since x)`,
      );
      writeFileSync(join(dir, 'run.lock'), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'y' }));
      expect(() => RunLock.acquire(dir)).toThrow('is in use by process 1 on elsewhere (since y)');
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it("takes over a dead process's lock and a torn one, with a warning each", () => {
    const dir = tmp();
    const dead = Number(
      String(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout),
    );
    const warnings: string[] = [];
    writeFileSync(join(dir, 'run.lock'), JSON.stringify({ pid: dead, host: hostname(), startedAt: 'z' }));
    RunLock.acquire(dir, (w) => warnings.push(w)).release();
    writeFileSync(join(dir, 'run.lock'), '{"pid": 12');
    RunLock.acquire(dir, (w) => warnings.push(w)).release();
    expect(warnings).toEqual([
      `taking over the lock of ${dir} from process ${dead} on ${hostname()} (since z), which is no longer running`,
      `taking over an unreadable lock of ${dir} (left by a process killed while taking it)`,
    ]);
  });
});

describe('output places', () => {
  it('accepts a new path below a writable directory and refuses the rest in words', () => {
    const dir = tmp();
    expect(checkOutputPlace(join(dir, 'a', 'b'))).toBe(join(dir, 'a', 'b'));
    writeFileSync(join(dir, 'f'), '');
    expect(() => checkOutputPlace(join(dir, 'f', 'g'))).toThrow(/is below .*f, which is a file/);
    expect(() => checkOutputPlace('/proc/self/x')).toThrow(/on the kernel's proc file system/);
    expect(() => checkOutputPlace('  ')).toThrow('--out is empty; name a directory for the run');
  });

  const readOnly = join(tmp(), 'ro');
  mkdirSync(readOnly);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', readOnly]).status === 0;
  if (!mounted)
    console.log('integrity.test: cannot mount a read-only tmpfs here (needs root); that case is skipped');
  afterAll(() => {
    if (mounted) spawnSync('umount', ['-l', readOnly]);
  });
  (mounted ? it : it.skip)('refuses a read-only file system (EROFS) before anything is written', () => {
    expect(() => checkOutputPlace(join(readOnly, 'run'))).toThrow(
      /ro is not writable \(EROFS\); choose another --out/,
    );
  });
});

describe('non-finite state', () => {
  it('the scan reads the tensor-file format of @mbrl-ts/nn and finds the first NaN or infinity', () => {
    expect(TENSOR_FILE_FORMAT).toBe(NN_TENSOR_FILE_FORMAT);
    const dir = tmp();
    const data = new Float32Array([1, 2, 3, Infinity]);
    writeFileSync(join(dir, 'adam.bin'), Buffer.from(data.buffer));
    const manifest = {
      format: TENSOR_FILE_FORMAT,
      dataFile: 'adam.bin',
      tensors: [
        { name: 'm', dtype: 'float32', byteOffset: 0, byteLength: 8 },
        { name: 'v', dtype: 'float32', byteOffset: 8, byteLength: 8 },
      ],
    };
    writeFileSync(join(dir, 'adam.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'state.json'), '{"not": "tensors"}');
    expect(findNonFiniteTensorValue(dir)).toEqual({
      file: 'adam.json',
      tensor: 'v',
      index: 1,
      value: Infinity,
    });
    data[3] = 4;
    writeFileSync(join(dir, 'adam.bin'), Buffer.from(data.buffer));
    expect(findNonFiniteTensorValue(dir)).toBeUndefined();
  });

  it('the loop never commits a checkpoint whose agent state is not finite', async () => {
    const env = await makeEnv('Pendulum-v1');
    const evalEnv = await makeEnv('Pendulum-v1');
    const replay = new ReplayBuffer({ capacity: 300, observationDim: 3, actionDim: 1 });
    const agent = new LinearAgent(replay);
    const save = agent.save.bind(agent);
    let saves = 0;
    agent.save = async (dir: string) => {
      await save(dir);
      saves += 1;
      const value = saves === 2 ? NaN : 0.5;
      writeFileSync(join(dir, 'moments.bin'), Buffer.from(new Float32Array([value]).buffer));
      writeFileSync(
        join(dir, 'moments.json'),
        JSON.stringify({
          format: TENSOR_FILE_FORMAT,
          dataFile: 'moments.bin',
          tensors: [{ name: 'critic/v', dtype: 'float32', byteOffset: 0, byteLength: 4 }],
        }),
      );
    };
    const config = {
      ...defaultsOf(trainerSchema),
      totalSteps: 300,
      warmupSteps: 50,
      checkpointEvery: 100,
      evalEvery: 300,
      evalEpisodes: 1,
    };
    const run = RunDirectory.create(join(tmp(), 'run'), config);
    await expect(train({ config, env, evalEnv, agent, replay, run })).rejects.toThrow(
      /^the agent's state at step 200 holds a non-finite value \(NaN in critic\/v of agent\/moments.json\); no checkpoint is written and the run stops, the last good checkpoint is .*checkpoint-100 \(step 100;/,
    );
    expect(readdirSync(join(run.path, 'checkpoints'))).toEqual(['checkpoint-100']);
    env.close();
    evalEnv.close();
  });
});

describe('failure reports', () => {
  it('a full disk and a diverged run are one line with exit 1; a damaged or locked run exits 2', () => {
    const line = (error: Error) => reportFailure(error, 'app', false);
    expect(line(new RunStorageError('no space'))).toEqual({ exitCode: 1, lines: ['app: error: no space'] });
    expect(line(new NonFiniteMetricError('NaN at step 3'))).toEqual({
      exitCode: 1,
      lines: ['app: error: NaN at step 3'],
    });
    const locked = Object.assign(new Error('in use'), { name: 'RunLockedError' });
    expect(line(locked)).toEqual({ exitCode: 2, lines: ['app: error: in use'] });
    const damaged = Object.assign(new Error('damaged'), { name: 'CheckpointDamagedError' });
    expect(line(damaged).exitCode).toBe(2);
    expect(line(new Error('bug')).lines).toHaveLength(2);
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(line(full)).toEqual({
      exitCode: 1,
      lines: ['app: error: ENOSPC: no space left on device, write'],
    });
  });
});
