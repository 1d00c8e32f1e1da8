/**
 * A trajectory to an MP4: the viewer page plays it in headless Chromium (the same scene as `view`),
 * one screenshot per state (the reset state, then each step's), piped as PNGs into ffmpeg, which
 * encodes H.264 at the task's rate (1 / dt frames per second, so the video runs in real time).
 */
import { spawn } from 'node:child_process';
import { findChromium, findFfmpeg, launchChromium } from './browser';
import { ViewerError } from './errors';
import { startViewerServer } from './server';
import type { Trajectory } from './trajectory-format';

export interface VideoOptions {
  /** Frame size in pixels (even numbers: H.264 in yuv420p halves the chroma). */
  readonly width: number;
  readonly height: number;
}

export interface VideoResult {
  readonly file: string;
  readonly frames: number;
  /** Frames per second, 1 / dt rounded to a thousandth. */
  readonly fps: number;
  readonly width: number;
  readonly height: number;
}

/** Check, before any work, that a video can be made here: Chromium and ffmpeg are installed, the size is even. */
export function checkVideoTools(options: VideoOptions): void {
  if (options.width % 2 !== 0 || options.height % 2 !== 0) {
    throw new ViewerError(
      `video size must be even in both directions, got ${options.width}x${options.height}`,
    );
  }
  findFfmpeg();
  findChromium();
}

/** Frames per second for a step of `dt` seconds, as ffmpeg's rational (e.g. 20/1, 125/1). */
function rate(dt: number): { fps: number; rational: string } {
  const fps = Math.round(1000 / dt) / 1000;
  return { fps, rational: `${Math.round(fps * 1000)}/1000` };
}

export async function writeVideo(
  trajectory: Trajectory,
  file: string,
  options: VideoOptions,
): Promise<VideoResult> {
  checkVideoTools(options);
  const ffmpegPath = findFfmpeg();
  const { width, height } = options;
  const { fps, rational } = rate(trajectory.dt);
  const server = await startViewerServer({ trajectory });
  const chromium = await launchChromium();
  let ffmpegError = '';
  try {
    const page = await chromium.browser.newPage();
    await page.setViewport({ width, height, deviceScaleFactor: 1 });
    await page.goto(`${server.url}?record=1&width=${width}&height=${height}`);
    await page.waitForFunction(
      () => {
        const s = (
          globalThis as unknown as { mbrlViewer?: { status(): { ready: boolean; error: string | null } } }
        ).mbrlViewer?.status();
        return s !== undefined && (s.ready || s.error !== null);
      },
      { timeout: 120_000 },
    );
    const failure = await page.evaluate(
      () =>
        (globalThis as unknown as { mbrlViewer: { status(): { error: string | null } } }).mbrlViewer.status()
          .error,
    );
    if (failure !== null) throw new Error(`the viewer page failed: ${failure}`);
    const frames = await page.evaluate(() =>
      (globalThis as unknown as { mbrlViewer: { frameCount(): number } }).mbrlViewer.frameCount(),
    );

    const ffmpeg = spawn(
      ffmpegPath,
      [
        '-y',
        '-loglevel',
        'error',
        '-f',
        'image2pipe',
        '-c:v',
        'png',
        '-framerate',
        rational,
        '-i',
        '-',
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-pix_fmt',
        'yuv420p',
        '-r',
        rational,
        '-movflags',
        '+faststart',
        file,
      ],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    ffmpeg.stderr.on('data', (chunk) => (ffmpegError += String(chunk)));
    const finished = new Promise<number>((resolve, reject) => {
      ffmpeg.once('error', reject);
      ffmpeg.once('close', (code) => resolve(code ?? 1));
    });
    const write = (bytes: Uint8Array) =>
      new Promise<void>((resolve, reject) => {
        if (ffmpeg.stdin.write(bytes)) resolve();
        else {
          ffmpeg.stdin.once('drain', resolve);
          ffmpeg.stdin.once('error', reject);
        }
      });
    for (let i = 0; i < frames; i++) {
      await page.evaluate(
        (index) =>
          (globalThis as unknown as { mbrlViewer: { showFrame(i: number): void } }).mbrlViewer.showFrame(
            index,
          ),
        i,
      );
      const png = await page.screenshot({
        type: 'png',
        clip: { x: 0, y: 0, width, height },
        optimizeForSpeed: true,
      });
      await write(png);
    }
    ffmpeg.stdin.end();
    const code = await finished;
    if (code !== 0) throw new Error(`ffmpeg failed (exit ${code}): ${ffmpegError.trim().split('\n')[0]}`);
    return { file, frames, fps, width, height };
  } finally {
    await chromium.close();
    await server.close();
  }
}
