/**
 * The workspace's layering, read from the files: every @mbrl-ts import points to a lower layer, and
 * each package.json declares exactly the workspace packages its files import (src and bin in
 * dependencies; tests and benches may use devDependencies). The same edges are what
 * `npx nx graph` draws.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Lowest first; a package may import only packages of a lower layer. */
const LAYERS: readonly (readonly string[])[] = [
  ['rng', 'bench-settings', 'eval'],
  ['blas', 'envs', 'replay'],
  ['nn'],
  ['kernels'],
  ['models'],
  ['objectives'],
  ['contract'],
  ['agents'],
  ['viewer'],
  ['harness'],
  ['alm', 'baselines', 'repro', 'release'],
];
const layerOf = new Map<string, number>(
  LAYERS.flatMap((names, i) => names.map((n) => [`@mbrl-ts/${n}`, i] as const)),
);

interface Workspace {
  readonly name: string;
  readonly dir: string;
  readonly dependencies: Set<string>;
  readonly devDependencies: Set<string>;
}

function workspaces(): Workspace[] {
  return ['packages', 'apps', 'tools'].flatMap((group) =>
    readdirSync(join(root, group))
      .map((name) => join(root, group, name))
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        return {
          name: pkg.name as string,
          dir,
          dependencies: new Set(Object.keys(pkg.dependencies ?? {})),
          devDependencies: new Set(Object.keys(pkg.devDependencies ?? {})),
        };
      }),
  );
}

/** Folders whose code belongs to another project: the release test's consumer, which imports the
    packages as installed from their tarballs into a scratch project, not as workspace siblings. */
const OTHER_PROJECTS = new Set([join('tools', 'release', 'test', 'consumer')]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (OTHER_PROJECTS.has(relative(root, path))) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](@mbrl-ts\/[a-z0-9-]+)['"]/g;

/** Workspace imports of a package: those of src/ and bin/, and those of everything else. */
function importsOf(ws: Workspace): { shipped: Set<string>; development: Set<string> } {
  const shipped = new Set<string>();
  const development = new Set<string>();
  for (const file of sourceFiles(ws.dir)) {
    const top = relative(ws.dir, file).split('/')[0];
    const into = top === 'src' || top === 'bin' ? shipped : development;
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (match[1] !== ws.name) into.add(match[1]);
    }
  }
  return { shipped, development };
}

const all = workspaces();

it('every workspace package has a layer', () => {
  const unplaced = all.map((w) => w.name).filter((name) => !layerOf.has(name));
  expect({ unplaced, hint: 'add new packages to LAYERS in packages/contract/test/layers.test.ts' }).toEqual({
    unplaced: [],
    hint: expect.any(String),
  });
});

it.each(all.map((w) => [w.name, w] as const))('%s imports only lower layers', (_name, ws) => {
  const { shipped, development } = importsOf(ws);
  const upward = [...shipped, ...development].filter(
    (target) => !((layerOf.get(target) ?? Infinity) < (layerOf.get(ws.name) ?? -Infinity)),
  );
  expect(upward).toEqual([]);
});

it.each(all.map((w) => [w.name, w] as const))('%s declares exactly what it imports', (_name, ws) => {
  const { shipped, development } = importsOf(ws);
  const workspace = (names: Set<string>) => [...names].filter((n) => n.startsWith('@mbrl-ts/'));
  const declared = new Set([...workspace(ws.dependencies), ...workspace(ws.devDependencies)]);
  expect({
    shippedButNotDependencies: [...shipped].filter((n) => !ws.dependencies.has(n)).sort(),
    importedButUndeclared: [...development].filter((n) => !declared.has(n)).sort(),
    declaredButUnused: [...declared].filter((n) => !shipped.has(n) && !development.has(n)).sort(),
  }).toEqual({ shippedButNotDependencies: [], importedButUndeclared: [], declaredButUnused: [] });
});
