/**
 * Grid presets: `paper` runs every algorithm with its paper defaults and the harness's loop
 * defaults (ALM Table 3: 5000 warm-up steps, an evaluation of 10 episodes every 5000 steps);
 * `quick` keeps the algorithms' settings but warms up, evaluates and checkpoints more often, for
 * short grids that check the pipeline. Presets are loop settings, which every harness program
 * accepts, passed as `--set key=value`.
 */
export const GRID_PRESETS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  paper: {},
  quick: { warmupSteps: 1000, evalEvery: 1000, evalEpisodes: 5, checkpointEvery: 5000 },
};

export function presetSetArgs(preset: string): string[] {
  const settings = GRID_PRESETS[preset];
  if (!settings) throw new Error(`unknown preset ${preset}`);
  return Object.entries(settings).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
}
