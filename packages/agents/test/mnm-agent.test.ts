/**
 * MnmAgent: which loss trains which network, the target critics moved only by Polyak averaging,
 * determinism, a flat tensor count over 100 updates, exact save/load, bad configuration values,
 * and the CLI registration.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultsOf, resolveConfig } from '@mbrl-ts/harness';
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  almClassifierLoss,
  almPolicyLoss,
  almRewardLoss,
  mnmCriticLoss,
  mnmModelLoss,
  type Metric,
  type ObjectiveResult,
} from '@mbrl-ts/objectives';
import {
  AgentStateError,
  baselineAlgorithms,
  minimizeDeferred,
  MnmAgent,
  mnmAlgorithm,
  mnmSchema,
  type MnmConfig,
} from '../src';
import { ACT, changed, filledReplay, OBS, smallSac, snapshot } from './helpers';
import { smallMnm as smallMnmOn } from './mnm-helpers';

await initBackend('wasm', { logger: () => {} });

/** A tiny MnM agent on a fresh copy of the shared fixed replay. */
const smallMnm = (seed = 0, overrides: Partial<MnmConfig> = {}): MnmAgent =>
  smallMnmOn(filledReplay(), seed, overrides);

const obs = Float64Array.of(0.3, -1.2, 0.8);
const groups = ['model.', 'reward.', 'classifier.', 'critic.', 'critic_target.', 'actor.'];
const groupsOf = (names: string[]) => groups.filter((g) => names.some((n) => n.startsWith(g)));

/** The four losses on a fixed (B = 4) batch of tensors and the agent's networks. */
function lossesOf(agent: MnmAgent): Record<string, () => ObjectiveResult> {
  const noise = { std: 0.5, clip: 0.3, rng: new Rng(5) };
  const B = 4;
  const s = () => tf.randomNormal([B, OBS], 0, 1, 'float32', 1);
  const a = () => tf.randomUniform([B, ACT], -1, 1, 'float32', 2);
  const s2 = () => tf.randomNormal([B, OBS], 0, 1, 'float32', 3);
  const nets = {
    actor: agent.actor,
    model: agent.model,
    reward: agent.reward,
    classifier: agent.classifier,
    critic: agent.critic,
  };
  return {
    model: () =>
      mnmModelLoss({
        ...nets,
        observation: s(),
        action: a(),
        nextObservation: s2(),
        mleCoefficient: 1,
        horizon: 2,
        gamma: 0.99,
        classifierCoefficient: 1,
        noise,
      }),
    reward: () => almRewardLoss({ reward: agent.reward, latent: s(), action: a(), target: tf.ones([B]) }),
    classifier: () =>
      almClassifierLoss({
        classifier: agent.classifier,
        latent: s(),
        action: a(),
        realNext: s2(),
        imaginedNext: tf.randomNormal([B, OBS], 0, 1, 'float32', 4),
        realMask: tf.tensor1d([1, 0, 1, 0]),
      }),
    critic: () =>
      mnmCriticLoss({
        critic: agent.critic,
        targetCritic: agent.targetCritic,
        actor: agent.actor,
        classifier: agent.classifier,
        observation: s(),
        action: a(),
        reward: tf.ones([B]),
        terminated: tf.zeros([B]),
        imaginedNext: s2(),
        gamma: 0.99,
        classifierCoefficient: 1,
        noise,
      }),
    actor: () =>
      almPolicyLoss({
        ...nets,
        latent: s(),
        horizon: 2,
        gamma: 0.99,
        lambda: 0.95,
        noise,
        terms: { classifierCoefficient: 1 },
      }),
  };
}

function disposeMetrics(metrics: Record<string, Metric>): void {
  tf.dispose(Object.values(metrics).filter((m): m is tf.Scalar => typeof m !== 'number'));
}

describe('MnmAgent gradient routing', () => {
  const cases: Array<[string, string[]]> = [
    ['model', ['model.']],
    ['reward', ['reward.']],
    ['classifier', ['classifier.']],
    ['critic', ['critic.']],
    ['actor', ['actor.']],
  ];
  it.each(cases)('the %s loss on its optimizer changes exactly its own network', (name, expected) => {
    const agent = smallMnm();
    const steps = {
      model: () => [agent.modelOptimizer, agent.model] as const,
      reward: () => [agent.rewardOptimizer, agent.rewardClassifierVariables()] as const,
      classifier: () => [agent.rewardOptimizer, agent.rewardClassifierVariables()] as const,
      critic: () => [agent.criticOptimizer, agent.critic] as const,
      actor: () => [agent.actorOptimizer, agent.actor] as const,
    };
    const [optimizer, variables] = steps[name as keyof typeof steps]();
    const before = snapshot(agent.parameters());
    const step = minimizeDeferred(optimizer, variables, lossesOf(agent)[name]);
    disposeMetrics(step.metrics);
    expect(step.gradNorm).toBeGreaterThan(0);
    const moved = changed(before, snapshot(agent.parameters()));
    expect(groupsOf(moved)).toEqual(expected);
    // within the group every weight matrix moves: no stray stop-gradient (e.g. the model's last
    // layer gets gradient through the classifier, the reward and the critic, and the likelihood)
    for (const n of [...agent.parameters().keys()].filter(
      (k) => expected.some((g) => k.startsWith(g)) && k.endsWith('.weight'),
    ))
      expect(moved).toContain(n);
    agent.dispose();
  });

  it('the model learns from the bound alone (mleCoefficient 0) too', () => {
    const agent = smallMnm();
    const before = snapshot(agent.parameters());
    const step = minimizeDeferred(agent.modelOptimizer, agent.model, () =>
      mnmModelLoss({
        actor: agent.actor,
        model: agent.model,
        reward: agent.reward,
        classifier: agent.classifier,
        critic: agent.critic,
        observation: tf.randomNormal([4, OBS], 0, 1, 'float32', 1),
        action: tf.zeros([4, ACT]),
        nextObservation: tf.zeros([4, OBS]),
        mleCoefficient: 0,
        horizon: 1,
        gamma: 0.99,
        classifierCoefficient: 1,
        noise: { std: 0.5, clip: 0.3, rng: new Rng(1) },
      }),
    );
    disposeMetrics(step.metrics);
    expect(groupsOf(changed(before, snapshot(agent.parameters())))).toEqual(['model.']);
    agent.dispose();
  });

  it('one update trains every network and moves the target critics by tau only', () => {
    const agent = smallMnm();
    const before = snapshot(agent.parameters());
    const metrics = agent.update(6000);
    const after = snapshot(agent.parameters());
    expect(groupsOf(changed(before, after))).toEqual(groups);
    const tau = agent.config.tau;
    for (const [name, values] of after) {
      if (!name.startsWith('critic_target.')) continue;
      const online = after.get(name.replace('critic_target.', 'critic.')) as Float32Array;
      const old = before.get(name) as Float32Array;
      values.forEach((v, i) => expect(v).toBeCloseTo((1 - tau) * old[i] + tau * online[i], 5));
    }
    for (const key of [
      'model_loss',
      'model_nll',
      'model_classifier_reward',
      'classifier_loss',
      'reward_loss',
      'critic_loss',
      'augmented_reward',
      'actor_loss',
      'model_grad_norm',
    ])
      expect(Number.isFinite(metrics[key])).toBe(true);
    agent.dispose();
  });
});

describe('MnmAgent criticTransitions', () => {
  /** The online critics after one update, with the model and classifier first perturbed or not. */
  function criticAfterUpdate(
    criticTransitions: 'model' | 'real',
    perturb: boolean,
  ): Map<string, Float32Array> {
    const agent = smallMnm(0, { criticTransitions });
    if (perturb) {
      for (const [name, v] of agent.parameters()) {
        if (name.startsWith('model.') || name.startsWith('classifier.')) v.assign(tf.mul(v, 1.5));
      }
    }
    agent.update(6000);
    const critic = new Map([...snapshot(agent.parameters())].filter(([n]) => n.startsWith('critic.')));
    agent.dispose();
    return critic;
  }

  it("'real' trains the critic on real transitions only: the model and classifier do not reach it", () => {
    expect(changed(criticAfterUpdate('real', false), criticAfterUpdate('real', true))).toEqual([]);
  });

  it("'model' (the default) trains the critic on the model's next observation and the classifier term", () => {
    expect(defaultsOf(mnmSchema).criticTransitions).toBe('model');
    expect(
      changed(criticAfterUpdate('model', false), criticAfterUpdate('model', true)).length,
    ).toBeGreaterThan(0);
  });
});

describe('MnmAgent', () => {
  it('acts inside the bounds; evaluation is the policy mean (same action twice)', () => {
    const agent = smallMnm();
    for (let i = 0; i < 10; i++) {
      const a = agent.act(obs, { step: 0, deterministic: false });
      expect(Math.abs(a[0])).toBeLessThanOrEqual(2);
    }
    expect(agent.act(obs, { step: 0, deterministic: true })).toEqual(
      agent.act(obs, { step: 0, deterministic: true }),
    );
    agent.dispose();
  });

  it('counts the std schedule in updates from the first one: std 0 after the two updates of (1 -> 0, 2)', () => {
    const agent = smallMnm(0, { explorationStdStart: 1, explorationStdEnd: 0, explorationStdDuration: 2 });
    expect(agent.act(obs, { step: 0, deterministic: false })).not.toEqual(
      agent.act(obs, { step: 0, deterministic: true }),
    );
    expect(agent.update(6000).exploration_std).toBeCloseTo(0.5, 12); // the first update uses n = 1
    expect(agent.update(6001).exploration_std).toBe(0);
    expect(agent.act(obs, { step: 0, deterministic: false })).toEqual(
      agent.act(obs, { step: 0, deterministic: true }),
    );
    agent.dispose();
  });

  it('same seed: identical metrics and parameters after 3 updates; another seed differs', () => {
    const [a, b, c] = [smallMnm(3), smallMnm(3), smallMnm(4)];
    for (let i = 0; i < 3; i++) {
      expect(a.update(6000 + i)).toEqual(b.update(6000 + i));
      c.update(6000 + i);
    }
    const [pa, pb, pc] = [snapshot(a.parameters()), snapshot(b.parameters()), snapshot(c.parameters())];
    expect(changed(pa, pb)).toEqual([]);
    expect(changed(pa, pc).length).toBeGreaterThan(0);
    for (const x of [a, b, c]) x.dispose();
  });

  it('holds the tensor count flat over 100 updates and acting', () => {
    const agent = smallMnm();
    agent.update(6000);
    agent.act(obs, { step: 0, deterministic: false });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      agent.update(6000 + i);
      agent.act(obs, { step: i, deterministic: i % 2 === 0 });
    }
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  }, 120_000);

  it('save then load into a fresh agent resumes exactly (networks, targets, Adam, Rng, counters)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mnm-agent-')), 'agent');
    const a = smallMnm(1);
    for (let i = 0; i < 3; i++) a.update(6000 + i);
    await a.save(dir);
    const b = smallMnm(99);
    await b.load(dir);
    expect(b.updates).toBe(3);
    expect(Array.from(b.act(obs, { step: 7000, deterministic: false }))).toEqual(
      Array.from(a.act(obs, { step: 7000, deterministic: false })),
    );
    expect(b.update(6003)).toEqual(a.update(6003));
    expect(changed(snapshot(a.parameters()), snapshot(b.parameters()))).toEqual([]);
    const sac = smallSac(filledReplay());
    await expect(sac.load(dir)).rejects.toThrow(AgentStateError);
    await expect(sac.load(dir)).rejects.toThrow(/holds a mnm agent, not sac/);
    for (const x of [a, b, sac]) x.dispose();
  }, 60_000);
});

describe('MnM configuration', () => {
  it('every key documents its source; the quick preset is its five documented keys', () => {
    for (const field of Object.values(mnmSchema)) expect(field.doc.length).toBeGreaterThan(10);
    const defaults = defaultsOf(mnmSchema);
    expect(defaults.classifierCoefficient).toBe(1);
    expect(defaults.batchSize).toBe(512);
    expect(Object.keys(mnmAlgorithm.presets?.quick ?? {}).sort()).toEqual([
      'batchSize',
      'explorationStdDuration',
      'hiddenSize',
      'learningRate',
      'modelHiddenSize',
    ]);
    expect(baselineAlgorithms.map((a) => a.name)).toContain('mnm');
  });

  it('bad values fail with the key, the rule and the value', () => {
    expect(() => resolveConfig(mnmSchema, { horizon: 0 })).toThrow(/"horizon" must be >= 1/);
    expect(() => resolveConfig(mnmSchema, { mleCoefficient: -1 })).toThrow(/"mleCoefficient" must be >= 0/);
    expect(() => resolveConfig(mnmSchema, { modelMinStd: 0 })).toThrow(/"modelMinStd" must be > 0/);
    expect(() => resolveConfig(mnmSchema, { criticTransitions: 'imagined' })).toThrow(
      /"criticTransitions" must be one of model, real/,
    );
    expect(() => resolveConfig(mnmSchema, { classifierCoefficent: 1 })).toThrow(
      /unknown key "classifierCoefficent"/,
    );
    expect(() => smallMnm(0, { modelMinStd: 0.5, modelMaxStd: 0.1 })).toThrow(
      /modelMaxStd \(0.1\) must exceed modelMinStd \(0.5\)/,
    );
  });
});
