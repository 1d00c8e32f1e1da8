/**
 * Seeing a policy from the shared CLI (@mbrl-ts/viewer does the work):
 *
 *   view --run DIR [--checkpoint N] [--port P]    the live page on 127.0.0.1 (prints the URL, serves until Ctrl-C)
 *   view --trajectory FILE [--port P]             the same page playing a recorded trajectory
 *   eval ... --save-trajectory FILE               also write every state, action and reward
 *   eval ... --video FILE.mp4 [--video-size WxH]  also render the episodes to an MP4 (Chromium + ffmpeg)
 *   eval ... --max-steps N                        cut each episode after N steps
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Agent } from '@mbrl-ts/contract';
import type { Env } from '@mbrl-ts/envs';
import { evaluate } from '@mbrl-ts/eval';
import {
  checkVideoTools,
  openRun,
  parseTrajectory,
  recordEpisodes,
  startViewerServer,
  writeVideo,
  type ViewSource,
} from '@mbrl-ts/viewer';
import { writeFileAtomic } from '../atomic';
import { UsageError } from './errors';

type IntegerParser = (flag: string, min: number, max: number) => (raw: string) => number;

/** The flags `eval` gains. */
export interface EvalOutputFlags {
  video?: string;
  saveTrajectory?: string;
  maxSteps?: number;
  videoSize: string;
}

export function addEvalOutputOptions(command: Command, parseInteger: IntegerParser): Command {
  return command
    .option(
      '--save-trajectory <file>',
      'also write every state, action and reward (JSON; `view --trajectory` plays it)',
    )
    .option('--video <file.mp4>', 'also render the episodes to an MP4 (needs chromium and ffmpeg)')
    .option('--video-size <WxH>', 'video frame size in pixels', '640x360')
    .option('--max-steps <n>', 'cut each episode after n steps', parseInteger('--max-steps', 1, 1_000_000));
}

function videoSize(raw: string): { width: number; height: number } {
  const match = /^([0-9]{2,4})x([0-9]{2,4})$/.exec(raw);
  const [width, height] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || width < 16 || height < 16 || width > 3840 || height > 2160) {
    throw new UsageError(
      `--video-size must be WIDTHxHEIGHT from 16x16 to 3840x2160, got ${JSON.stringify(raw)}`,
    );
  }
  return { width, height };
}

/** A file the command will write: its folder must exist and be writable; it must not be a folder. */
function checkOutputFile(path: string, flag: string): string {
  const target = resolve(path);
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`${flag} ${path}: the folder ${folder} does not exist`);
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new UsageError(`${flag} ${path} is a folder; name a file`);
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${path}: the folder ${folder} is not writable`);
  }
  return target;
}

/** Checks eval's output flags before any work: sizes, output places, Chromium and ffmpeg for --video. */
export function checkEvalOutputs(flags: EvalOutputFlags): void {
  const size = videoSize(flags.videoSize);
  if (flags.saveTrajectory !== undefined) checkOutputFile(flags.saveTrajectory, '--save-trajectory');
  if (flags.video !== undefined) {
    if (!/\.mp4$/i.test(flags.video))
      throw new UsageError(`--video writes an MP4; name a .mp4 file, got ${flags.video}`);
    checkOutputFile(flags.video, '--video');
    checkVideoTools(size);
  }
}

/**
 * eval's episodes: `evaluate` as before, or, when a trajectory or a video is asked for (or
 * --max-steps), the same episodes recorded; the video is drawn from that recording.
 */
export async function evaluateWithOutputs(
  agent: Agent,
  env: Env,
  episodes: number,
  options: { seed: number; step: number; algo: string },
  flags: EvalOutputFlags,
): Promise<{ returns: number[]; lengths: number[]; outputs: Record<string, unknown> }> {
  if (flags.video === undefined && flags.saveTrajectory === undefined && flags.maxSteps === undefined) {
    return { ...evaluate(agent, env, episodes, options), outputs: {} };
  }
  const recording = recordEpisodes(agent, env, episodes, { ...options, maxSteps: flags.maxSteps });
  const outputs: Record<string, unknown> = {};
  if (flags.maxSteps !== undefined) outputs.maxSteps = flags.maxSteps;
  if (flags.saveTrajectory !== undefined) {
    const path = resolve(flags.saveTrajectory);
    writeFileAtomic(path, JSON.stringify(recording.trajectory) + '\n');
    outputs.trajectory = path;
  }
  if (flags.video !== undefined) {
    const video = await writeVideo(recording.trajectory, resolve(flags.video), videoSize(flags.videoSize));
    outputs.video = {
      file: video.file,
      frames: video.frames,
      fps: video.fps,
      width: video.width,
      height: video.height,
    };
  }
  return { returns: recording.returns, lengths: recording.lengths, outputs };
}

interface ViewFlags {
  run?: string;
  trajectory?: string;
  checkpoint?: number;
  port?: number;
}

/** Serve until SIGINT / SIGTERM / SIGHUP, then close and resolve. */
function serveUntilSignal(close: () => Promise<void>): Promise<void> {
  return new Promise((done) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const stop = () => {
      for (const s of signals) process.off(s, stop);
      void close().then(done);
    };
    for (const s of signals) process.on(s, stop);
  });
}

/** `view`: the viewer page for a run's checkpoint or a trajectory file. */
export function addViewCommand(
  program: Command,
  context: {
    readonly name: string;
    readonly algoNames: readonly string[];
    readonly print: (line: string) => void;
    readonly parseInteger: IntegerParser;
  },
): void {
  const { parseInteger, print } = context;
  program
    .command('view')
    .description(
      "watch a run's checkpoint act in the browser (MuJoCo and the policy run in the page), or play a trajectory",
    )
    .option('--run <dir>', 'run directory')
    .option(
      '--checkpoint <step>',
      "the checkpoint's step (default the newest)",
      parseInteger('--checkpoint', 0, 1e12),
    )
    .option('--trajectory <file>', 'a file written by eval --save-trajectory, instead of --run')
    .option('--port <p>', 'port on 127.0.0.1 (default a free one)', parseInteger('--port', 1, 65_535))
    .action(async (flags: ViewFlags) => {
      if ((flags.run === undefined) === (flags.trajectory === undefined)) {
        throw new UsageError('view needs either --run DIR or --trajectory FILE');
      }
      let source: ViewSource;
      if (flags.run !== undefined) {
        if (!existsSync(flags.run)) throw new UsageError(`run directory ${flags.run} does not exist`);
        const run = openRun(flags.run, flags.checkpoint);
        if (!context.algoNames.includes(run.identity.algo)) {
          throw new UsageError(
            `${flags.run} is a ${run.identity.algo} run; ${context.name} shows ${context.algoNames.join(', ')}`,
          );
        }
        source = { run };
      } else {
        if (flags.checkpoint !== undefined)
          throw new UsageError('--checkpoint goes with --run, not --trajectory');
        const file = flags.trajectory as string;
        if (!existsSync(file)) throw new UsageError(`trajectory file ${file} does not exist`);
        let parsed: unknown;
        try {
          parsed = JSON.parse(readFileSync(file, 'utf8'));
        } catch (error) {
          throw new UsageError(`trajectory file ${file} is not valid JSON: ${(error as Error).message}`);
        }
        source = { trajectory: parseTrajectory(parsed, file) };
      }
      const server = await startViewerServer(source, flags.port ?? 0);
      const what =
        'run' in source
          ? `${source.run.identity.algo} on ${source.run.identity.env}, checkpoint-${source.run.checkpoint.step}`
          : `trajectory ${flags.trajectory}`;
      print(`${context.name}: viewer for ${what} at ${server.url} (Ctrl-C stops it)`);
      await serveUntilSignal(() => server.close());
    });
}
