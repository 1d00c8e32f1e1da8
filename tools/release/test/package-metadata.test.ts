/**
 * Every published package carries what npm users and the registry expect, read from the files so
 * it cannot rot: where the source is (repository with its directory: provenance checks it),
 * homepage, bugs, keywords, the Node versions it runs on, public access for the scoped name, a
 * `files` list whose entries exist, caret ranges to its siblings (a patch release of one does not
 * duplicate the others), and an `npm install` line in its README.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishable, readManifest, REPO_ROOT, workspaces } from '../src/workspaces';

const root = readManifest(REPO_ROOT);
const packages = publishable();
const versions = new Map(workspaces().map((w) => [w.manifest.name, w.manifest.version]));

it('publishes the libraries and the three command lines', () => {
  expect(packages.map((p) => p.manifest.name).sort()).toEqual(
    [
      '@mbrl-ts/agents',
      '@mbrl-ts/alm',
      '@mbrl-ts/baselines',
      '@mbrl-ts/contract',
      '@mbrl-ts/envs',
      '@mbrl-ts/eval',
      '@mbrl-ts/harness',
      '@mbrl-ts/kernels',
      '@mbrl-ts/models',
      '@mbrl-ts/nn',
      '@mbrl-ts/objectives',
      '@mbrl-ts/replay',
      '@mbrl-ts/repro',
      '@mbrl-ts/rng',
      '@mbrl-ts/viewer',
    ].sort(),
  );
});

it('the root names the repository every package points to', () => {
  expect(root.repository?.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
  expect(root.bugs?.url).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/issues$/);
  expect(root.engines?.node).toMatch(/^>=\d+\.\d+/);
});

describe.each(packages.map((p) => [p.manifest.name, p] as const))('%s', (name, { dir, manifest }) => {
  const at = (path: string) => join(REPO_ROOT, dir, path);

  it('has repository (with its directory), homepage, bugs, keywords, license, engines, public access', () => {
    expect({
      repository: manifest.repository,
      homepage: manifest.homepage,
      bugs: manifest.bugs,
      license: manifest.license,
      engines: manifest.engines,
      access: manifest.publishConfig?.access,
    }).toEqual({
      repository: { type: 'git', url: root.repository?.url, directory: dir },
      homepage: `${root.homepage?.replace(/#readme$/, '')}/tree/main/${dir}#readme`,
      bugs: { url: root.bugs?.url },
      license: 'MIT',
      engines: { node: root.engines?.node },
      access: 'public',
    });
    expect(manifest.keywords).toEqual(expect.arrayContaining(['mbrl-ts', 'reinforcement-learning']));
    expect((manifest.description ?? '').length).toBeGreaterThan(40);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  });

  it('lists its files, and they exist (dist after a build)', () => {
    const files = manifest.files ?? [];
    expect(files).toEqual(expect.arrayContaining(['dist', 'README.md', 'LICENSE']));
    for (const file of files.filter((f) => f !== 'dist'))
      expect({ file, exists: existsSync(at(file)) }).toEqual({ file, exists: true });
    // what the package points to lies inside what it ships
    const shipped = (path: string) =>
      files.some((f) => path.replace(/^\.\//, '').startsWith(`${f}/`) || path.replace(/^\.\//, '') === f);
    const entryPoints = [
      manifest.main,
      manifest.module,
      manifest.types,
      ...Object.values(manifest.bin ?? {}),
    ].filter((p): p is string => typeof p === 'string');
    expect(entryPoints.filter((p) => !shipped(p))).toEqual([]);
    // a build step that makes dist
    expect(manifest.scripts?.build).toBe('tsup');
  });

  it('depends on its siblings by caret range of their current version', () => {
    const ranges = { ...manifest.devDependencies, ...manifest.dependencies };
    const wrong = Object.entries(ranges)
      .filter(([dep]) => dep.startsWith('@mbrl-ts/'))
      .filter(([dep, range]) => range !== `^${versions.get(dep)}`)
      .map(([dep, range]) => `${dep}@${range} (sibling is ${versions.get(dep)})`);
    expect(wrong).toEqual([]);
    // nothing runs TypeScript at run time: tsx is for the checkout only
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('tsx');
  });

  it('shows `npm install` in its README', () => {
    expect(readFileSync(at('README.md'), 'utf8')).toContain(`npm install ${name}`);
  });
});
