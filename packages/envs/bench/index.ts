/**
 * Random-action throughput of every registered task, one thread: env steps per second
 * (episode resets included, as in data collection). Prints JSON.
 *
 *   npm run bench -w @mbrl-ts/envs            # ~2 s per task
 *   BENCH_SECONDS=5 npm run bench -w @mbrl-ts/envs
 */
import { Rng } from '@mbrl-ts/rng';
import { envInteger } from '@mbrl-ts/bench-settings';
import { listEnvs, makeEnv } from '../src/index';

const seconds = envInteger('BENCH_SECONDS', 2, 1);

interface TaskResult {
  id: string;
  obsSize: number;
  actionSize: number;
  steps: number;
  episodesEnded: number;
  stepsPerSecond: number;
  microsecondsPerStep: number;
}

async function benchTask(id: string): Promise<TaskResult> {
  const env = await makeEnv(id);
  const rng = new Rng(0);
  const pool = Array.from({ length: 1024 }, () => env.actionSpace.sample(rng));
  env.reset({ seed: 0 });
  let episodesEnded = 0;
  const run = (steps: number) => {
    for (let t = 0; t < steps; t++) {
      const s = env.step(pool[t & 1023]);
      if (s.terminated || s.truncated) {
        env.reset();
        episodesEnded += 1;
      }
    }
  };
  run(1000); // warm-up (JIT, first allocations)
  episodesEnded = 0;
  let steps = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    run(1000);
    steps += 1000;
    elapsed = performance.now() - start;
  }
  env.close();
  return {
    id,
    obsSize: env.observationSpace.size,
    actionSize: env.actionSpace.size,
    steps,
    episodesEnded,
    stepsPerSecond: Math.round((steps / elapsed) * 1000),
    microsecondsPerStep: Number(((elapsed * 1000) / steps).toFixed(1)),
  };
}

const results: TaskResult[] = [];
for (const id of listEnvs()) results.push(await benchTask(id));
console.log(
  JSON.stringify(
    {
      benchmark: 'envs random-action steps per second (one thread)',
      node: process.version,
      seconds,
      results,
    },
    null,
    2,
  ),
);
