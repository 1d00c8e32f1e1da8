/**
 * The viewer's local server, on 127.0.0.1 only: the page, its bundled script, MuJoCo's WASM
 * binary, and what the page shows: a run's checkpoint (session.json names the task, the
 * algorithm, the agent's settings and the checkpoint's files, served under agent/) or a
 * trajectory (trajectory.json). It serves nothing else: no directory listings, no other paths.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  checkpointAt,
  checkpointsOf,
  latestCheckpoint,
  readRunIdentity,
  type RunCheckpoint,
  type RunIdentity,
} from '@mbrl-ts/contract';
import { envSpec } from '@mbrl-ts/envs';
import { mujocoWasmPath, pageScript } from './bundle';
import { ViewerError } from './errors';
import { PAGE_ALGORITHMS } from './page-algorithms';
import { PAGE_HTML } from './page-html';
import type { Trajectory } from './trajectory-format';

/** A run's checkpoint, checked and ready to serve. */
export interface RunToView {
  readonly runDir: string;
  readonly identity: RunIdentity;
  readonly checkpoint: RunCheckpoint;
  /** Every committed checkpoint's step. */
  readonly steps: number[];
  /** The agent's file names in the checkpoint. */
  readonly files: string[];
}

const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

/** Tasks the page can draw: the MuJoCo ones (Pendulum-v1 is not a MuJoCo model). */
function checkDrawable(id: string): void {
  envSpec(id); // an unknown id fails with the list
  if (id.startsWith('Pendulum-')) {
    throw new ViewerError(`${id} is not a MuJoCo task; the viewer draws the MuJoCo tasks only`);
  }
}

/** Open `runDir` for viewing at checkpoint `step` (default the newest complete one). */
export function openRun(runDir: string, step?: number): RunToView {
  const identity = readRunIdentity(runDir);
  checkDrawable(identity.env);
  const known = PAGE_ALGORITHMS.map((a) => a.name);
  if (!known.includes(identity.algo)) {
    throw new ViewerError(
      `${runDir} is a ${identity.algo} run; the viewer page acts with ${known.join(', ')}`,
    );
  }
  const steps = checkpointsOf(runDir).map((c) => c.step);
  if (step !== undefined && !steps.includes(step)) {
    throw new ViewerError(
      steps.length === 0
        ? `${runDir} has no complete checkpoint yet`
        : `--checkpoint ${step} is not a checkpoint of ${runDir} (it has ${steps.join(', ')})`,
    );
  }
  const checkpoint = step === undefined ? latestCheckpoint(runDir) : checkpointAt(runDir, step);
  const files = readdirSync(checkpoint.agentDir).filter(
    (name) => SAFE_NAME.test(name) && statSync(join(checkpoint.agentDir, name)).isFile(),
  );
  return { runDir, identity, checkpoint, steps, files };
}

export type ViewSource =
  { readonly run: RunToView } | { readonly trajectory: Trajectory } | { readonly open: true };

export interface ViewerServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function sessionOf(source: ViewSource): unknown {
  if ('run' in source) {
    const { run } = source;
    return {
      mode: 'live',
      run: run.runDir,
      env: run.identity.env,
      algo: run.identity.algo,
      agent: run.identity.agent,
      checkpointStep: run.checkpoint.step,
      checkpoints: run.steps,
      files: run.files,
    };
  }
  if ('trajectory' in source) return { mode: 'trajectory', trajectory: 'trajectory.json' };
  return { mode: 'open' };
}

/**
 * Serve `source` on 127.0.0.1:`port` (0 or absent: a free port). The page's script is bundled
 * before the server listens, so the URL works as soon as it is printed.
 */
export async function startViewerServer(source: ViewSource, port = 0): Promise<ViewerServer> {
  const script = await pageScript();
  const session = JSON.stringify(sessionOf(source));
  const trajectory = 'trajectory' in source ? JSON.stringify(source.trajectory) : null;
  const wasm = readFileSync(mujocoWasmPath());
  const agentFiles = 'run' in source ? new Set(source.run.files) : new Set<string>();
  const agentDir = 'run' in source ? source.run.checkpoint.agentDir : '';

  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (request.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
    if (path === '/' || path === '/index.html') return send(200, 'text/html; charset=utf-8', PAGE_HTML);
    if (path === '/viewer.js') return send(200, 'text/javascript; charset=utf-8', script);
    if (path === '/mujoco.wasm') return send(200, 'application/wasm', wasm);
    if (path === '/session.json') return send(200, 'application/json', session);
    if (path === '/trajectory.json' && trajectory !== null) return send(200, 'application/json', trajectory);
    const agentFile = /^\/agent\/([A-Za-z0-9_.-]+)$/.exec(path)?.[1];
    if (agentFile !== undefined && agentFiles.has(agentFile)) {
      return send(200, 'application/octet-stream', readFileSync(join(agentDir, agentFile)));
    }
    send(404, 'text/plain', 'not found\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new ViewerError(
              `port ${port} on 127.0.0.1 is in use; pick another --port or leave it out for a free one`,
            )
          : error,
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
