/**
 * A variant of ALM as a user would write one, with the packages' public entry points only: a
 * classifier reward of their own (log C instead of the paper's log C/(1-C)) and a value term of
 * their own for Eq. 7 (the mean of the twin critics instead of their minimum), registered as
 * named values of ALM's terms, each trained a few hundred steps through the harness's CLI,
 * recorded in config.json, and one run resumed from its checkpoint.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AlmAgent, almAlgorithmWith, loadAgent } from '@mbrl-ts/agents';
import { runCli, type CliOptions } from '@mbrl-ts/harness';
import { tf } from '@mbrl-ts/nn';
import type { ClassifierRewardTerm, RolloutValueTerm } from '@mbrl-ts/objectives';

/** What the user's terms saw, to show they ran (and on what). */
const calls = { logC: 0, meanQ: 0, meanQShapes: new Set<string>() };

/** log C(z, a, z'): the log-probability that the transition is real, always <= 0. */
const logC: ClassifierRewardTerm = (classifier, latent, action, nextLatent) => {
  calls.logC += 1;
  // any leading axes: [K, B] in Eq. 8, [N] in the lower bound
  const logProbs = tf.logSoftmax(classifier.logits(latent, action, nextLatent));
  return tf.squeeze(tf.split(logProbs, 2, -1)[1], [-1]);
};

/** (Q1 + Q2) / 2 at the rollout's end. */
const meanQ: RolloutValueTerm = (critic, latent, action) => {
  calls.meanQ += 1;
  calls.meanQShapes.add(`${latent.shape.length}`);
  const [q1, q2] = critic.forward(latent, action);
  return tf.div(tf.add(q1, q2), 2);
};

const myAlm = almAlgorithmWith({ classifierReward: { 'log-c': logC }, valueTerm: { 'mean-q': meanQ } });

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

async function cli(algorithms: CliOptions['algorithms'], ...argv: string[]) {
  const out = sink();
  const err = sink();
  const code = await runCli(
    {
      name: 'my-alm',
      description: 'ALM with my terms',
      version: '0.0.1',
      algorithms,
      defaultAlgo: 'alm',
      stdout: out.stream,
      stderr: err.stream,
    },
    argv,
  );
  return { code, stdout: out.text(), stderr: err.text() };
}

const tiny = [
  ['hiddenSize', 16],
  ['modelHiddenSize', 16],
  ['latentSize', 4],
  ['batchSize', 16],
  ['warmupSteps', 100],
  ['checkpointEvery', 150],
  ['evalEvery', 1000],
  ['evalEpisodes', 1],
  ['logEvery', 50],
].flatMap(([key, value]) => ['--set', `${key}=${value}`]);

const dir = mkdtempSync(join(tmpdir(), 'alm-variant-'));

/** The update-metric lines of metrics.jsonl (episode lines carry train_episode_return instead). */
function metricLines(runDir: string): Array<Record<string, number>> {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number>)
    .filter((line) => 'alm_loss' in line);
}

function train(runDir: string, set: string, steps: number) {
  return cli(
    [myAlm],
    'train',
    '--env',
    'Pendulum-v1',
    '--preset',
    'quick',
    ...tiny,
    '--set',
    set,
    '--steps',
    String(steps),
    '--backend',
    'wasm',
    '--plain',
    '--out',
    runDir,
  );
}

describe('an ALM variant registered from outside the packages', () => {
  const logCRun = join(dir, 'log-c');
  const meanQRun = join(dir, 'mean-q');

  it('trains with its own classifier reward; config.json records it; the term ran', async () => {
    const trained = await train(logCRun, 'classifierReward=log-c', 300);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    const config = JSON.parse(readFileSync(join(logCRun, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ algo: 'alm', agent: { classifierReward: 'log-c', valueTerm: 'min-q' } });
    expect(calls.logC).toBeGreaterThanOrEqual(200); // once per policy update at least
    const lines = metricLines(logCRun);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    // log C <= 0 where the paper's log-odds take both signs: the metric is the term's mean
    for (const line of lines) expect(line.imagined_classifier_reward).toBeLessThanOrEqual(0);
    expect(existsSync(join(logCRun, 'checkpoints', 'checkpoint-300'))).toBe(true);
  }, 120_000);

  it('trains with its own Eq. 7 value term; config.json records it; the term saw z_K', async () => {
    const before = calls.meanQ;
    const trained = await train(meanQRun, 'valueTerm=mean-q', 250);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    const config = JSON.parse(readFileSync(join(meanQRun, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ agent: { valueTerm: 'mean-q', classifierReward: 'log-odds' } });
    expect(calls.meanQ - before).toBeGreaterThanOrEqual(150); // once per Eq. 7 step
    expect([...calls.meanQShapes]).toEqual(['2']); // [B, latent]: the rollout's last latents
  }, 120_000);

  it('resumes the log C run from its checkpoint with the same term', async () => {
    const before = calls.logC;
    const resumed = await cli(
      [myAlm],
      'train',
      '--resume',
      logCRun,
      '--steps',
      '400',
      '--backend',
      'wasm',
      '--plain',
    );
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(existsSync(join(logCRun, 'checkpoints', 'checkpoint-400'))).toBe(true);
    expect(calls.logC - before).toBeGreaterThanOrEqual(100);
    const steps = metricLines(logCRun).map((line) => line.step);
    expect(steps.at(-1)).toBe(400);
    expect(new Set(steps).size).toBe(steps.length); // no step logged twice across the resume
  }, 120_000);

  it('loads the trained variant from its run directory and acts (loadAgent)', async () => {
    const before = calls.logC;
    const { agent, env, checkpoint, run } = await loadAgent(logCRun, { algorithms: [myAlm] });
    expect(checkpoint.step).toBe(400);
    expect(run.agent.classifierReward).toBe('log-c');
    let { obs } = env.reset({ seed: 0 });
    for (let i = 0; i < 5; i++) {
      const action = agent.act(obs, { step: 0, deterministic: true });
      expect(action).toHaveLength(1);
      expect(Math.abs(action[0])).toBeLessThanOrEqual(2); // Pendulum's torque bound
      obs = env.step(action).obs;
    }
    expect(calls.logC).toBe(before); // acting evaluates no loss
    // the lower bound of the bias analysis uses the variant's term too, once per model step (K = 3)
    if (!(agent instanceof AlmAgent)) throw new Error(`loadAgent gave ${agent.algo}, not an AlmAgent`);
    const bound = agent.lowerBound(obs, [0.5]);
    expect(bound).toHaveLength(1);
    expect(Number.isFinite(bound[0])).toBe(true);
    expect(calls.logC - before).toBe(3);
    agent.dispose();
    env.close();
  });

  it('a build without the variant refuses to resume it, naming the value', async () => {
    const { almAlgorithm } = await import('@mbrl-ts/agents');
    const refused = await cli(
      [almAlgorithm],
      'train',
      '--resume',
      logCRun,
      '--steps',
      '500',
      '--backend',
      'wasm',
      '--plain',
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/"classifierReward" must be one of log-odds, got "log-c"/);
  });

  it('refuses a name that is not registered, and a built-in name rebound', async () => {
    const wrong = await train(join(dir, 'nope'), 'classifierReward=log-d', 200);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/"classifierReward" must be one of log-odds, log-c, got "log-d"/);
    expect(() => almAlgorithmWith({ valueTerm: { none: meanQ } })).toThrow(
      /valueTerm "none" is already a value/,
    );
  });
});
