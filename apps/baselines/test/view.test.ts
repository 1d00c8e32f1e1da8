/**
 * `mbrl-baselines view` on a tiny SAC run of Hopper-v4 (the alm app's view test covers ALM on
 * HalfCheetah-v4, the video and the bad input): the real bin serves the page, real headless
 * Chromium opens it, the page draws the body, and its return after N steps, with MuJoCo and the
 * SAC policy running in the browser, equals `mbrl-baselines eval`'s for the same seed and N steps.
 *
 * Needs Debian's chromium (.ci/run installs it); without it the suite is skipped and says so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, type HeadlessBrowser } from '@mbrl-ts/viewer';
import { run } from './run-cli';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mbrl-baselines.js');
const missing = spawnSync('chromium', ['--version'], { stdio: 'ignore' }).status !== 0;
if (missing) console.warn('baselines view test skipped: chromium not installed (apt-get install chromium)');
const suite = missing ? describe.skip : describe;

interface PageStatus {
  ready: boolean;
  error: string | null;
  step: number;
  episodeReturn: number;
  checkpointStep: number | null;
  frames: number;
}

const runDir = join(mkdtempSync(join(tmpdir(), 'baselines-view-')), 'run');
const SEED = 7;
const N = 20; // the deterministic policy's episodes at this seed last 26-27 steps

suite('mbrl-baselines view on a SAC checkpoint', () => {
  let chromium: HeadlessBrowser;
  let viewer: ChildProcess | null = null;

  beforeAll(async () => {
    const trained = await run(
      'train',
      '--algo',
      'sac',
      '--env',
      'Hopper-v4',
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

  it("the page plays the checkpoint it names, and its return after N steps is eval's", async () => {
    viewer = spawn(process.execPath, [bin, 'view', '--run', runDir, '--checkpoint', '30'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    viewer.stderr?.on('data', (c) => (printed += String(c)));
    const url = await new Promise<string>((resolve, reject) => {
      viewer!.stdout!.on('data', (chunk) => {
        printed += String(chunk);
        const found = /viewer for sac on Hopper-v4, checkpoint-30 at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(
          printed,
        );
        if (found) resolve(found[1]);
      });
      viewer!.once('exit', (code) => reject(new Error(`view exited (${code}): ${printed}`)));
    });

    const page = await chromium.browser.newPage();
    await page.setViewport({ width: 320, height: 240 });
    await page.goto(`${url}?seed=${SEED}&stopAt=${N}&speed=4`);
    const status = () =>
      page.evaluate(() =>
        (globalThis as unknown as { mbrlViewer: { status(): PageStatus } }).mbrlViewer.status(),
      );
    await page.waitForFunction(
      (n) => {
        const s = (globalThis as unknown as { mbrlViewer?: { status(): PageStatus } }).mbrlViewer?.status();
        return s !== undefined && ((s.ready && s.step >= n) || s.error !== null);
      },
      { timeout: 60_000 },
      N,
    );
    const last = await status();
    expect(last).toMatchObject({ error: null, step: N, checkpointStep: 30 });
    expect(last.frames).toBeGreaterThan(0);

    const evaluated = await run(
      'eval',
      '--run',
      runDir,
      '--checkpoint',
      '30',
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
    expect(report).toMatchObject({ checkpointStep: 30, lengths: [N] });
    expect(last.episodeReturn).toBe(report.returns[0]);
    await page.close();
  });

  it('eval --checkpoint picks a kept checkpoint, and names the kept ones for any other step', async () => {
    const latest = await run('eval', '--run', runDir, '--episodes', '1', '--seed', String(SEED));
    expect(latest.code).toBe(0);
    expect(JSON.parse(latest.stdout.trim().split('\n').pop() as string).checkpointStep).toBe(60);
    const wrong = await run('eval', '--run', runDir, '--checkpoint', '45');
    const lines = wrong.stderr.trimEnd().split('\n');
    expect({ code: wrong.code, lines }).toEqual({
      code: 2,
      lines: [
        expect.stringMatching(
          /^mbrl-baselines: error: --checkpoint 45 is not a checkpoint of .* \(it has 30, 60\)$/,
        ),
      ],
    });
  });
});
