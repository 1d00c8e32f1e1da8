// A CommonJS consumer of the installed tarballs: require() reaches every package's CJS build.
const { makeEnv } = require('@mbrl-ts/envs');
const names = [
  'agents',
  'contract',
  'eval',
  'harness',
  'kernels',
  'models',
  'nn',
  'objectives',
  'replay',
  'rng',
  'viewer',
];
const empty = names.filter((name) => Object.keys(require(`@mbrl-ts/${name}`)).length === 0);

(async () => {
  const env = await makeEnv('HalfCheetah-v4');
  const { obs } = env.reset({ seed: 3 });
  const step = env.step(new Float64Array(env.actionSpace.shape[0]).fill(0.25));
  env.close();
  console.log(JSON.stringify({ obs: obs.length, reward: step.reward, empty }));
})();
