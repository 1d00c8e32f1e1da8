/**
 * The system's Chromium (Debian's `chromium`) driven headless through puppeteer-core (which never
 * downloads a browser), and the system's ffmpeg. Missing either is a ViewerError naming what to
 * install. WebGL runs on SwiftShader (Chromium's CPU rasteriser), so no GPU is needed.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { ViewerError } from './errors';

function findOnPath(names: readonly string[]): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** Chromium's executable: $MBRL_CHROMIUM, else chromium / chromium-browser on PATH. */
export function findChromium(): string {
  const wanted = process.env.MBRL_CHROMIUM;
  if (wanted) {
    try {
      accessSync(wanted, constants.X_OK);
      return wanted;
    } catch {
      throw new ViewerError(`MBRL_CHROMIUM=${wanted} is not an executable`);
    }
  }
  const found = findOnPath(['chromium', 'chromium-browser']);
  if (found === null) {
    throw new ViewerError('Chromium is not installed; install it with: apt-get install chromium');
  }
  return found;
}

/** ffmpeg's executable on PATH (and ffprobe beside it for checks). */
export function findFfmpeg(): string {
  const found = findOnPath(['ffmpeg']);
  if (found === null)
    throw new ViewerError('ffmpeg is not installed; install it with: apt-get install ffmpeg');
  return found;
}

/** The flags headless Chromium needs here: no sandbox as root, no network chatter, WebGL on SwiftShader. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--mute-audio',
];

export interface HeadlessBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Start headless Chromium with a fresh, empty profile (removed on close). */
export async function launchChromium(): Promise<HeadlessBrowser> {
  const executablePath = findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'mbrl-viewer-chromium-'));
  const puppeteer = await import('puppeteer-core');
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`],
      // puppeteer's own --headless etc.; ours above are the ones that matter
      protocolTimeout: 120_000,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw new ViewerError(
      `Chromium (${executablePath}) did not start: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Whether `command -version` runs (for tests that skip without the tool). */
export function runs(command: string): boolean {
  return spawnSync(command, ['-version'], { stdio: 'ignore' }).status === 0;
}
