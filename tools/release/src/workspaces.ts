/**
 * The workspace's packages as their package.json files describe them, and which of them are
 * published (every one not marked `private`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tools/release/src -> ../../..). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly description?: string;
  readonly keywords?: readonly string[];
  readonly homepage?: string;
  readonly bugs?: { readonly url?: string };
  readonly repository?: { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly license?: string;
  readonly engines?: Record<string, string>;
  readonly publishConfig?: Record<string, unknown>;
  readonly files?: readonly string[];
  readonly bin?: Record<string, string>;
  readonly main?: string;
  readonly module?: string;
  readonly types?: string;
  readonly exports?: unknown;
  readonly scripts?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

export interface Workspace {
  /** Relative to the repository root, e.g. `packages/nn`. */
  readonly dir: string;
  readonly manifest: Manifest;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

export function workspaces(root: string = REPO_ROOT): Workspace[] {
  return ['packages', 'apps', 'tools'].flatMap((group) =>
    readdirSync(join(root, group))
      .sort()
      .map((name) => `${group}/${name}`)
      .filter((dir) => existsSync(join(root, dir, 'package.json')))
      .map((dir) => ({ dir, manifest: readManifest(join(root, dir)) })),
  );
}

/** The packages `npm publish` would publish, in dependency order (a package after what it needs). */
export function publishable(root: string = REPO_ROOT): Workspace[] {
  const all = workspaces(root).filter((w) => !w.manifest.private);
  const byName = new Map(all.map((w) => [w.manifest.name, w]));
  const ordered: Workspace[] = [];
  const visit = (w: Workspace, seen: Set<string>) => {
    if (ordered.includes(w) || seen.has(w.manifest.name)) return;
    seen.add(w.manifest.name);
    for (const dep of Object.keys(w.manifest.dependencies ?? {})) {
      const sibling = byName.get(dep);
      if (sibling) visit(sibling, seen);
    }
    ordered.push(w);
  };
  for (const w of all) visit(w, new Set());
  return ordered;
}
