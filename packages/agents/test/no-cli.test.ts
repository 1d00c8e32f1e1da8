/**
 * The agents sit on @mbrl-ts/contract, not on the harness: importing @mbrl-ts/agents must not load
 * commander (the harness's CLI library). A child process imports the package (its sources, through
 * tsx) with a resolve hook that fails any import of commander; the harness, which does load it,
 * shows that the hook bites.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const agentsDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function importAlone(specifier: string) {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/fixtures/refuse-commander.mjs',
      './test/fixtures/import-only.ts',
      specifier,
    ],
    { cwd: agentsDir, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

it('importing @mbrl-ts/agents loads no CLI library', () => {
  const result = importAlone('@mbrl-ts/agents');
  expect(result.stderr).not.toMatch(/commander was loaded/);
  expect(result.status).toBe(0);
  expect(result.stdout.split(',')).toEqual(expect.arrayContaining(['AlmAgent', 'almAlgorithm']));
});

it('(control) importing @mbrl-ts/harness does load commander, and the hook refuses it', () => {
  const result = importAlone('@mbrl-ts/harness');
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/commander was loaded by .*harness\/src\/cli\/program\.ts/);
});
