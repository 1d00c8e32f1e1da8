/**
 * The page's script, bundled once per process with esbuild from src/page/main.ts: the agents,
 * the envs (MuJoCo's WASM build loads /mujoco.wasm next to the script), tfjs and three.js in one
 * ES module. The Node modules the agent code imports become the browser shims of src/page/shims
 * (the checkpoint files come from the page's in-memory volume).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
/** src/ when run from sources, dist/ when built: the page's sources ship in src/page either way. */
const pageDir = join(here, '..', 'src', 'page');
const packageRoot = join(here, '..');

const SHIMS: Readonly<Record<string, string>> = {
  'node:fs/promises': 'fs-promises.ts',
  'node:fs': 'fs.ts',
  'node:path': 'path.ts',
  'node:crypto': 'refused.ts',
  'node:zlib': 'refused.ts',
  'node:os': 'refused.ts',
};

const nodeShims: Plugin = {
  name: 'mbrl-node-shims',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => {
      const shim = SHIMS[args.path];
      if (shim === undefined) {
        return {
          errors: [
            { text: `${args.path} has no browser shim in the viewer page (imported by ${args.importer})` },
          ],
        };
      }
      return { path: join(pageDir, 'shims', shim) };
    });
  },
};

let cached: Promise<string> | null = null;

/** The page's script (ES module source), built on first use. */
export function pageScript(): Promise<string> {
  cached ??= build().catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}

async function build(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(pageDir, 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    tsconfig: join(packageRoot, 'tsconfig.json'),
    // MuJoCo's loader imports 'module' only under Node; the page never takes that branch
    external: ['module'],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [nodeShims],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Where the MuJoCo WASM binary the page loads lives. */
export function mujocoWasmPath(): string {
  return createRequire(import.meta.url).resolve('@mujoco/mujoco/mujoco.wasm');
}
