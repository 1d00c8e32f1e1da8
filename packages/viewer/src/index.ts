/**
 * @mbrl-ts/viewer: see a trained policy. A browser page runs the task on MuJoCo's WASM build and
 * the checkpoint's policy in tfjs, drawn with three.js; a local server serves it; trajectories
 * (states and rewards per step) are recorded through eval's own loop and played back by the same
 * page; videos are that page in headless Chromium, frames to ffmpeg.
 */
export { ViewerError } from './errors';
export {
  parseTrajectory,
  returnAfter,
  TRAJECTORY_FORMAT,
  TRAJECTORY_VERSION,
  TrajectoryError,
  type Trajectory,
  type TrajectoryEpisode,
} from './trajectory-format';
export { recordEpisodes, type RecordOptions, type Recording } from './trajectory';
export { openRun, startViewerServer, type RunToView, type ViewerServer, type ViewSource } from './server';
export { CHROMIUM_FLAGS, findChromium, findFfmpeg, launchChromium, type HeadlessBrowser } from './browser';
export { checkVideoTools, writeVideo, type VideoOptions, type VideoResult } from './video';
export { pageScript } from './bundle';
