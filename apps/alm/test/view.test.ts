/**
 * Seeing a trained policy, end to end on a tiny ALM run (HalfCheetah-v4, quick preset, 60 steps):
 * `alm view` (the real bin, as a user starts it) serves the page; real headless Chromium opens it;
 * the canvas is drawn (not one colour), the body moves between two screenshots, and the page's
 * return after N steps, with the physics and the policy running in the browser, equals `alm eval`'s
 * return for the same seed and N steps. `eval --video` writes an MP4 whose frames, size and
 * duration ffprobe confirms. Bad input is one line and exit 2.
 *
 * Needs Debian's chromium and ffmpeg (.ci/run installs them); without them the suite is skipped
 * and says so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { launchChromium, type HeadlessBrowser } from '@mbrl-ts/viewer';
import { runAlm } from '../src/cli';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'alm.js');
const tools = [
  ['chromium', '--version'],
  ['ffmpeg', '-version'],
  ['ffprobe', '-version'],
]
  .filter(([tool, flag]) => spawnSync(tool, [flag], { stdio: 'ignore' }).status !== 0)
  .map(([tool]) => tool);
const missing = tools.length > 0;
if (missing)
  console.warn(`view tests skipped: ${tools.join(', ')} not installed (apt-get install chromium ffmpeg)`);
const suite = missing ? describe.skip : describe;

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return { stream, text: () => text };
}

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await runAlm(argv, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

function expectOneLine(outcome: { code: number; stderr: string }, pattern: RegExp): void {
  const lines = outcome.stderr.trimEnd().split('\n');
  expect({ code: outcome.code, lines }).toEqual({ code: 2, lines: [expect.stringMatching(pattern)] });
  expect(lines[0]).toMatch(/^alm: error: /);
}

/** A PNG's pixels as RGB bytes (decoded by ffmpeg). */
function pixels(png: Uint8Array): Uint8Array {
  const out = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    {
      input: png,
      maxBuffer: 64 << 20,
    },
  );
  if (out.status !== 0) throw new Error(`ffmpeg could not decode the screenshot: ${String(out.stderr)}`);
  return new Uint8Array(out.stdout);
}

/** Distinct colours (quantised to 4 bits a channel) in an RGB image. */
function colours(rgb: Uint8Array): number {
  const seen = new Set<number>();
  for (let i = 0; i < rgb.length; i += 3)
    seen.add(((rgb[i] >> 4) << 8) | ((rgb[i + 1] >> 4) << 4) | (rgb[i + 2] >> 4));
  return seen.size;
}

/** The fraction of pixels whose colour differs by more than 24 in some channel. */
function changed(a: Uint8Array, b: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < a.length; i += 3) {
    if (
      Math.abs(a[i] - b[i]) > 24 ||
      Math.abs(a[i + 1] - b[i + 1]) > 24 ||
      Math.abs(a[i + 2] - b[i + 2]) > 24
    )
      count++;
  }
  return count / (a.length / 3);
}

interface PageStatus {
  ready: boolean;
  error: string | null;
  step: number;
  episodeReturn: number;
  checkpointStep: number | null;
  frames: number;
}

const dir = mkdtempSync(join(tmpdir(), 'alm-view-'));
const runDir = join(dir, 'run');
const SEED = 7;
const N = 30;

suite('alm view and eval --video on a trained checkpoint', () => {
  let chromium: HeadlessBrowser;
  let viewer: ChildProcess | null = null;

  beforeAll(async () => {
    const trained = await run(
      'train',
      '--env',
      'HalfCheetah-v4',
      '--preset',
      'quick',
      '--steps',
      '60',
      '--set',
      'warmupSteps=50',
      '--set',
      'batchSize=16',
      '--set',
      'evalEvery=60',
      '--set',
      'evalEpisodes=1',
      '--set',
      'checkpointEvery=30',
      '--out',
      runDir,
      '--plain',
    );
    expect(trained.stderr.split('\n').filter((l) => /error/.test(l))).toEqual([]);
    expect(trained.code).toBe(0);
    chromium = await launchChromium();
  });

  afterAll(async () => {
    viewer?.kill('SIGTERM');
    await chromium?.close();
  });

  it("view: the page draws the body, the body moves, and its return after N steps is eval's", async () => {
    viewer = spawn(process.execPath, [bin, 'view', '--run', runDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    viewer.stderr?.on('data', (c) => (printed += String(c)));
    const url = await new Promise<string>((resolve, reject) => {
      viewer!.stdout!.on('data', (chunk) => {
        printed += String(chunk);
        const found = /viewer for alm on HalfCheetah-v4, checkpoint-60 at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(
          printed,
        );
        if (found) resolve(found[1]);
      });
      viewer!.once('exit', (code) => reject(new Error(`view exited (${code}): ${printed}`)));
    });

    const page = await chromium.browser.newPage();
    await page.setViewport({ width: 480, height: 320 });
    await page.goto(`${url}?seed=${SEED}&stopAt=${N}&paused=1&speed=2`);
    const status = () =>
      page.evaluate(() =>
        (globalThis as unknown as { mbrlViewer: { status(): PageStatus } }).mbrlViewer.status(),
      );
    await page.waitForFunction(
      () => {
        const s = (globalThis as unknown as { mbrlViewer?: { status(): PageStatus } }).mbrlViewer?.status();
        return s !== undefined && ((s.ready && s.frames > 0) || s.error !== null);
      },
      { timeout: 60_000 },
    );
    const first = await status();
    expect(first).toMatchObject({ error: null, step: 0, checkpointStep: 60 });
    const canvas = { x: 0, y: 56, width: 480, height: 264 };
    const before = pixels(await page.screenshot({ type: 'png', clip: canvas }));

    await page.evaluate(() => (globalThis as unknown as { mbrlViewer: { play(): void } }).mbrlViewer.play());
    await page.waitForFunction(
      (n) =>
        (globalThis as unknown as { mbrlViewer: { status(): PageStatus } }).mbrlViewer.status().step >= n,
      { timeout: 60_000 },
      N,
    );
    // one more frame after the pause at N, so the screenshot shows step N
    await page.evaluate(
      () =>
        new Promise((r) => {
          const raf = (
            globalThis as unknown as { requestAnimationFrame(f: () => void): void }
          ).requestAnimationFrame.bind(globalThis);
          raf(() => raf(() => r(null)));
        }),
    );
    const after = pixels(await page.screenshot({ type: 'png', clip: canvas }));
    const last = await status();
    expect(last.step).toBe(N);

    // drawn: sky, floor checks and the body, far from one flat colour
    expect(colours(before)).toBeGreaterThan(12);
    expect(colours(after)).toBeGreaterThan(12);
    // the body moved (and the tracking camera with it): a good part of the picture changed
    expect(changed(before, after)).toBeGreaterThan(0.01);

    // eval on the same backend as the page (tfjs cpu), same seed, same N steps
    const evaluated = await run(
      'eval',
      '--run',
      runDir,
      '--episodes',
      '1',
      '--seed',
      String(SEED),
      '--max-steps',
      String(N),
      '--backend',
      'cpu',
    );
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout.trim().split('\n').pop() as string);
    expect(report.lengths).toEqual([N]);
    expect(last.episodeReturn).toBe(report.returns[0]);
    await page.close();
  });

  it('eval --video writes an MP4 whose frames, size and duration ffprobe confirms', async () => {
    const file = join(dir, 'cheetah.mp4');
    const result = await run(
      'eval',
      '--run',
      runDir,
      '--episodes',
      '2',
      '--seed',
      '3',
      '--max-steps',
      '12',
      '--video',
      file,
      '--video-size',
      '160x96',
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').pop() as string);
    // two episodes of 12 steps: the reset state and 12 steps each, at 1 / dt = 20 frames per second
    expect(report.video).toEqual({ file, frames: 26, fps: 20, width: 160, height: 96 });
    const probe = spawnSync('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,height,nb_read_frames:format=duration',
      '-of',
      'json',
      file,
    ]);
    const facts = JSON.parse(String(probe.stdout));
    expect(facts.streams[0]).toEqual({ codec_name: 'h264', width: 160, height: 96, nb_read_frames: '26' });
    expect(Number(facts.format.duration)).toBeCloseTo(26 / 20, 2);
  });

  it('eval --save-trajectory writes the states and rewards eval summed', async () => {
    const file = join(dir, 'trajectory.json');
    const result = await run(
      'eval',
      '--run',
      runDir,
      '--episodes',
      '1',
      '--seed',
      '5',
      '--max-steps',
      '15',
      '--save-trajectory',
      file,
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').pop() as string);
    const trajectory = JSON.parse(readFileSync(file, 'utf8'));
    const episode = trajectory.episodes[0];
    expect({
      env: trajectory.env,
      seed: episode.seed,
      states: episode.qpos.length,
      rewards: episode.rewards.length,
    }).toEqual({
      env: 'HalfCheetah-v4',
      seed: 5,
      states: 16,
      rewards: 15,
    });
    expect(episode.rewards.reduce((s: number, r: number) => s + r, 0)).toBe(report.returns[0]);
  });

  it('bad input: one line, exit 2', async () => {
    expectOneLine(await run('view', '--run', join(dir, 'nope')), /run directory .*nope does not exist/);
    expectOneLine(
      await run('view', '--run', runDir, '--checkpoint', '45'),
      /--checkpoint 45 is not a checkpoint of .* \(it has 30, 60\)/,
    );
    expectOneLine(
      await run('view', '--run', runDir, '--port', '70000'),
      /--port must be an integer from 1 to 65535/,
    );
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    try {
      expectOneLine(
        await run('view', '--run', runDir, '--port', String(port)),
        new RegExp(`port ${port} on 127.0.0.1 is in use`),
      );
    } finally {
      taken.close();
    }
    expectOneLine(await run('eval', '--run', runDir, '--video', join(dir, 'x.avi')), /--video writes an MP4/);
    expectOneLine(
      await run('eval', '--run', runDir, '--video', join(dir, 'x.mp4'), '--video-size', '161x96'),
      /even/,
    );
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expectOneLine(
        await run('eval', '--run', runDir, '--video', join(dir, 'x.mp4')),
        /ffmpeg is not installed; install it with: apt-get install ffmpeg/,
      );
    } finally {
      process.env.PATH = path;
    }
    expect(existsSync(join(dir, 'x.mp4'))).toBe(false);
  });
});
