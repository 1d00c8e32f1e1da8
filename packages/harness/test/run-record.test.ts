import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeStart, gitCommit, packageVersions, recordStart, type BackendFacts } from '../src';

const backend: BackendFacts = {
  name: 'wasm',
  kernels: 'blas',
  precision: 'bf16-rounded',
  blas: { threads: 2, config: 'oneDNN 2.6.3 (avx2)', library: 'onednn', precision: 'bf16-rounded' },
};
const here = dirname(fileURLToPath(import.meta.url));

describe('run record', () => {
  it('names the backend that ran, the packages, the commit, Node, the OS and the CPU', () => {
    const start = describeStart('alm', 300, backend);
    expect(start.program).toBe('alm');
    expect(start.step).toBe(300);
    expect(start.backend).toEqual(backend);
    const own = JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { version: string };
    expect(start.packages['@mbrl-ts/harness']).toBe(own.version);
    expect(start.packages['@mbrl-ts/kernels']).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(start.packages).every((name) => name.startsWith('@mbrl-ts/'))).toBe(true);
    expect(start.gitCommit === null || /^[0-9a-f]{40}(\+dirty)?$/.test(start.gitCommit)).toBe(true);
    expect(start.node).toBe(process.version);
    expect(start.os).toMatch(/^\S+ \S+ \S+$/);
    expect(start.cpu.count).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(start.startedAt))).toBe(false);
    expect(packageVersions()).toEqual(start.packages);
  });

  it('says null for the commit outside a checkout', () => {
    expect(gitCommit(mkdtempSync(join(tmpdir(), 'mbrl-no-git-')))).toBeNull();
  });

  it('appends one entry per start, and starts a damaged record again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mbrl-run-record-'));
    recordStart(dir, describeStart('alm', 0, backend));
    recordStart(
      dir,
      describeStart('alm', 320, { ...backend, blas: null, kernels: 'wasm', precision: 'fp32' }),
    );
    const saved = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
      starts: Array<{ step: number }>;
    };
    expect(saved.starts.map((s) => s.step)).toEqual([0, 320]);
    writeFileSync(join(dir, 'run.json'), '{"starts": [tor');
    recordStart(dir, describeStart('alm', 400, backend));
    const again = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
      starts: Array<{ step: number }>;
    };
    expect(again.starts.map((s) => s.step)).toEqual([400]);
  });
});
