/** A run directory read without the loop: config.json's identity and the complete checkpoints. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildManifest,
  checkpointAt,
  checkpointsOf,
  latestCheckpoint,
  readRunIdentity,
  RunIdentityError,
} from '../src';

function runDir(config?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'run-identity-'));
  if (config !== undefined)
    writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

function checkpoint(dir: string, step: number, complete: boolean): string {
  const path = join(dir, 'checkpoints', `checkpoint-${step}`);
  mkdirSync(join(path, 'agent'), { recursive: true });
  writeFileSync(join(path, 'agent', 'state.json'), JSON.stringify({ step }));
  if (complete) writeFileSync(join(path, 'COMPLETE.json'), JSON.stringify(buildManifest(path, step)));
  return path;
}

it('reads algo, env and the agent settings from config.json', () => {
  const dir = runDir({
    algo: 'alm',
    env: 'Pendulum-v1',
    preset: 'quick',
    agent: { horizon: 3 },
    trainer: {},
  });
  expect(readRunIdentity(dir)).toEqual({ algo: 'alm', env: 'Pendulum-v1', agent: { horizon: 3 } });
});

it('refuses a folder without config.json, invalid JSON, and a config without the identity', () => {
  expect(() => readRunIdentity(runDir())).toThrow(RunIdentityError);
  expect(() => readRunIdentity(runDir())).toThrow(/is not a run directory \(no config.json\)/);
  expect(() => readRunIdentity(runDir('{ nope'))).toThrow(/config.json is not valid JSON/);
  expect(() => readRunIdentity(runDir({ algo: 'alm', agent: {} }))).toThrow(
    /does not name an algorithm, a task/,
  );
  expect(() => readRunIdentity(runDir({ algo: 'alm', env: 'x', agent: [] }))).toThrow(/algo, env, agent/);
});

it('lists complete checkpoints by step (numerically), skipping half-written ones', () => {
  const dir = runDir({ algo: 'sac', env: 'Pendulum-v1', agent: {} });
  expect(checkpointsOf(dir)).toEqual([]);
  expect(() => latestCheckpoint(dir)).toThrow(/has no complete checkpoint yet/);
  checkpoint(dir, 900, true);
  checkpoint(dir, 10000, true);
  checkpoint(dir, 20000, false);
  mkdirSync(join(dir, 'checkpoints', '.checkpoint-30000.tmp-1'));
  expect(checkpointsOf(dir).map((c) => c.step)).toEqual([900, 10000]);
  const latest = latestCheckpoint(dir);
  expect(latest).toEqual({
    step: 10000,
    dir: join(dir, 'checkpoints', 'checkpoint-10000'),
    agentDir: join(dir, 'checkpoints', 'checkpoint-10000', 'agent'),
  });
});

it('passes over a damaged newest checkpoint, and says so when none is usable', () => {
  const dir = runDir({ algo: 'sac', env: 'Pendulum-v1', agent: {} });
  checkpoint(dir, 100, true);
  const newest = checkpoint(dir, 200, true);
  writeFileSync(join(newest, 'agent', 'state.json'), JSON.stringify({ step: 999 })); // edited after the manifest
  expect(latestCheckpoint(dir).step).toBe(100);
  expect(() => checkpointAt(dir, 200)).toThrow(
    /checkpoint-200 is damaged: agent\/state.json does not match its checksum/,
  );
  expect(checkpointAt(dir, 100).step).toBe(100);
  expect(() => checkpointAt(dir, 300)).toThrow(/has no complete checkpoint at step 300 \(it has 100, 200\)/);
  writeFileSync(join(dir, 'checkpoints', 'checkpoint-100', 'COMPLETE.json'), '{ torn');
  expect(() => latestCheckpoint(dir)).toThrow(
    /has no usable checkpoint: checkpoint .*checkpoint-200 is damaged.*checkpoint-100 is damaged: its manifest/,
  );
});
