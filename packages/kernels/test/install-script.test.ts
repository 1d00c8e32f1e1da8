/**
 * The package's install step (`scripts/build.mjs --install`, run by `npm install @mbrl-ts/kernels`
 * once install scripts are approved) never fails an install: without oneDNN it prints one line
 * saying what it skipped and how to build later, and exits 0; with the addon already built from
 * the current sources it does not run the compiler. The same script as the bin `mbrl-kernels-build`
 * is strict (exit 1). Runs on a copy of the package's scripts and sources in a temp folder.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

function copyOfPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mbrl-kernels-install-'));
  cpSync(join(pkg, 'scripts'), join(dir, 'scripts'), { recursive: true });
  cpSync(join(pkg, 'native'), join(dir, 'native'), { recursive: true });
  return dir;
}

function run(dir: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(dir, 'scripts', 'build.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

// no oneDNN where the script looks for it
const noLibrary = { MBRL_BLAS_LIBDIR: '/nonexistent-lib', MBRL_INCLUDE_DIRS: '/nonexistent-include' };

it('the install step without oneDNN prints one line naming what it skipped and the later command, exit 0', () => {
  const result = run(copyOfPackage(), ['--install'], noLibrary);
  expect(result.status).toBe(0);
  expect(result.stderr).toBe('');
  expect(result.stdout.split('\n')).toHaveLength(1);
  expect(result.stdout).toMatch(/^@mbrl-ts\/kernels: native build skipped: oneDNN not found .*libdnnl-dev/);
  expect(result.stdout).toContain(
    "tfjs's wasm kernels stay in use; build it later with: npx mbrl-kernels-build",
  );
});

it('the command a user runs later is strict: the same line on stderr, exit 1', () => {
  const result = run(copyOfPackage(), [], noLibrary);
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^@mbrl-ts\/kernels: native build skipped: oneDNN not found/);
});

it('the install step keeps an addon built from the current sources, and rebuilds a stale one', () => {
  const dir = copyOfPackage();
  const output = join(dir, 'build', 'mbrl_blas.node');
  mkdirSync(dirname(output));
  writeFileSync(output, 'built before');
  const future = new Date(Date.now() + 60_000);
  utimesSync(output, future, future);
  // a compiler that always fails: the up-to-date addon must not need it
  const upToDate = run(dir, ['--install'], { CC: '/bin/false' });
  expect(upToDate).toEqual({ status: 0, stdout: `@mbrl-ts/kernels: ${output} is up to date`, stderr: '' });
  expect(readFileSync(output, 'utf8')).toBe('built before');
  // a source newer than the addon: the install step builds again (here: fails, and says so in one line)
  const past = new Date(Date.now() - 60_000);
  utimesSync(output, past, past);
  const stale = run(dir, ['--install'], { CC: '/bin/false', ...noLibrary });
  expect(stale.status).toBe(0);
  expect(stale.stdout).toMatch(/^@mbrl-ts\/kernels: native build skipped: /);
});
