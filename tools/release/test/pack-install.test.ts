/**
 * What an npm user gets: every published package built and packed as `npm publish` would, the
 * tarballs installed into a scratch project outside the workspace (no links back into it), and
 * then used there the way the READMEs say: an ESM and a CommonJS consumer, a type check with
 * `skipLibCheck: false`, the installed command lines (`alm --help`, a short `alm train`), the
 * native kernels built by the user's `npx mbrl-kernels-build`, and `npm publish --dry-run` of
 * each tarball.
 *
 * Needs the npm registry for the third-party packages' metadata (their tarballs come from the
 * cache `npm ci` filled); the root `npm ci` of CI has it too.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishable, readManifest, REPO_ROOT } from '../src/workspaces';

const packages = publishable();
const work = mkdtempSync(join(tmpdir(), 'mbrl-pack-'));
const tarballs = join(work, 'tarballs');
const consumer = join(work, 'consumer');
// The user's environment, not the workspace's: no NODE_OPTIONS from jest, no workspace PATH.
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? work,
  npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? work, '.npm'),
  MBRL_BLAS_THREADS: '1',
};

function run(command: string, args: readonly string[], cwd: string, timeoutMs = 300_000) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function ok(command: string, args: readonly string[], cwd: string, timeoutMs?: number): string {
  const result = run(command, args, cwd, timeoutMs);
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}\n${result.stdout}`,
    );
  return result.stdout;
}

interface PackResult {
  readonly name: string;
  readonly filename: string;
  readonly files: ReadonlyArray<{ readonly path: string }>;
}
let packed: PackResult[] = [];

beforeAll(() => {
  // dist of every package, as `prepublish` would leave it
  ok('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], REPO_ROOT, 600_000);
  mkdirSync(tarballs);
  const workspaces = packages.flatMap((p) => ['-w', p.manifest.name]);
  const out = ok('npm', ['pack', '--json', '--pack-destination', tarballs, ...workspaces], REPO_ROOT);
  packed = JSON.parse(out) as PackResult[];
  writeFileSync(
    join(work, 'package.json'),
    '{ "name": "scratch-root", "private": true }\n', // keeps npm from walking up into the repository
  );
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2),
  );
  const typesNode = readManifest(join(REPO_ROOT, 'node_modules', '@types', 'node')).version;
  ok(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      ...packed.map((p) => join(tarballs, p.filename)),
      `@types/node@${typesNode}`,
    ],
    consumer,
    600_000,
  );
  const fixtures = join(REPO_ROOT, 'tools', 'release', 'test', 'consumer');
  for (const file of readdirSync(fixtures)) copyFileSync(join(fixtures, file), join(consumer, file));
}, 1_200_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

it('packs every published package with its built files only', () => {
  expect(packed.map((p) => p.name).sort()).toEqual(packages.map((p) => p.manifest.name).sort());
  for (const p of packed) {
    const paths = p.files.map((f) => f.path);
    // no sources, tests or benchmarks: what ships is dist (and bin, configs, the addon's sources,
    // and the viewer's page, which esbuild bundles at run time against the installed packages)
    const shipsAsSource = (path: string) => p.name === '@mbrl-ts/viewer' && /^src\/page\/.+\.ts$/.test(path);
    const stray = paths.filter(
      (path) => !shipsAsSource(path) && (/^(src|test|bench)\//.test(path) || path.endsWith('.test.ts')),
    );
    expect({ name: p.name, stray }).toEqual({ name: p.name, stray: [] });
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    expect(paths.some((path) => path.startsWith('dist/'))).toBe(true);
  }
});

it('installs from the tarballs alone: every @mbrl-ts package is a real folder, not a workspace link', () => {
  const scope = join(consumer, 'node_modules', '@mbrl-ts');
  const installed = readdirSync(scope, { withFileTypes: true });
  expect(installed.every((entry) => entry.isDirectory() && !entry.isSymbolicLink())).toBe(true);
  expect(installed.map((entry) => `@mbrl-ts/${entry.name}`).sort()).toEqual(
    packages.map((p) => p.manifest.name).sort(),
  );
  expect(existsSync(join(scope, 'envs', 'src'))).toBe(false);
});

it('an ESM consumer and a CommonJS consumer import every package and step the same physics', () => {
  const esm = JSON.parse(ok('node', ['esm.mjs'], consumer).trim().split('\n').pop() as string);
  const cjs = JSON.parse(ok('node', ['cjs.cjs'], consumer).trim().split('\n').pop() as string);
  expect(esm).toEqual({ obs: 17, reward: expect.any(Number), stored: 1, out: 2, finite: true, empty: [] });
  expect(cjs).toEqual({ obs: 17, reward: esm.reward, empty: [] });
  expect(Number.isFinite(esm.reward)).toBe(true);
});

it('type-checks a consumer with skipLibCheck: false (ESM and CommonJS declarations)', () => {
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = run('node', [tsc, '-p', 'tsconfig.json'], consumer);
  expect({ status: result.status, errors: result.stdout.trim() }).toEqual({ status: 0, errors: '' });
  expect(JSON.parse(readFileSync(join(consumer, 'tsconfig.json'), 'utf8')).compilerOptions.skipLibCheck).toBe(
    false,
  );
});

it('runs the installed command lines: --help of all three, then a short alm train', () => {
  const bin = (name: string) => join(consumer, 'node_modules', '.bin', name);
  expect(ok(bin('alm'), ['--help'], consumer)).toContain('Usage: alm');
  expect(ok(bin('mbrl-baselines'), ['--help'], consumer)).toContain('Usage: mbrl-baselines');
  expect(ok(bin('mbrl-repro'), ['--help'], consumer)).toContain('Usage: mbrl-repro');
  expect(ok(bin('alm'), ['--version'], consumer).trim()).toBe(
    readManifest(join(REPO_ROOT, 'apps', 'alm')).version,
  );

  const out = ok(
    bin('alm'),
    [
      'train',
      '--env',
      'Pendulum-v1',
      '--preset',
      'quick',
      '--steps',
      '300',
      '--set',
      'warmupSteps=200',
      '--set',
      'evalEvery=300',
      '--set',
      'evalEpisodes=1',
      '--out',
      'run',
      '--plain',
    ],
    consumer,
  );
  expect(out).toContain('finished 300 steps');
  const evaluations = readFileSync(join(consumer, 'run', 'evaluations.csv'), 'utf8')
    .trim()
    .split('\n');
  expect(evaluations).toHaveLength(2);
  expect(evaluations[1]).toMatch(/^300,1,-?\d/);
  const start = JSON.parse(readFileSync(join(consumer, 'run', 'run.json'), 'utf8')).starts[0];
  // the run record names the installed versions, and no git commit (not a checkout)
  expect(start.packages['@mbrl-ts/alm']).toBe(readManifest(join(REPO_ROOT, 'apps', 'alm')).version);
  expect(start.packages['@mbrl-ts/nn']).toBe(readManifest(join(REPO_ROOT, 'packages', 'nn')).version);
  expect(start.gitCommit).toBeNull();
});

const haveOneDnn = existsSync('/usr/include/oneapi/dnnl/dnnl.h') || existsSync('/usr/include/dnnl.h');
(haveOneDnn ? it : it.skip)(
  'builds the native kernels in the installed package with npx mbrl-kernels-build',
  () => {
    // npm 11 runs no dependency's install script unless approved: the user builds it with the bin
    const out = ok('npx', ['mbrl-kernels-build'], consumer);
    const addon = join(consumer, 'node_modules', '@mbrl-ts', 'kernels', 'build', 'mbrl_blas.node');
    expect(out).toContain(`built ${addon}`);
    expect(existsSync(addon)).toBe(true);
    // and the installed alm then uses it
    const env = ok(join(consumer, 'node_modules', '.bin', 'alm'), ['envs'], consumer);
    expect(env).toContain('HalfCheetah-v4');
    const probe = ok('node', ['kernels.mjs'], consumer);
    expect(probe.trim().split('\n').pop()).toBe('"blas"');
  },
);

it('npm publish --dry-run accepts every tarball without a warning (other than not being logged in)', () => {
  for (const p of packed) {
    const result = run('npm', ['publish', '--dry-run', join(tarballs, p.filename)], work);
    const warnings = `${result.stderr}\n${result.stdout}`
      .split('\n')
      .filter((line) => /^npm (warn|error|ERR!)/i.test(line))
      .filter((line) => !/requires you to be logged in/.test(line));
    expect({ name: p.name, status: result.status, warnings }).toEqual({
      name: p.name,
      status: 0,
      warnings: [],
    });
  }
});
