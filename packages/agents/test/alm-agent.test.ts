/**
 * AlmAgent: which loss trains which network (Table 4), target networks moved only by Polyak
 * averaging, determinism, a flat tensor count, exact save/load, the lower bound, and every
 * ablation key changing the update as it should.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultsOf } from '@mbrl-ts/harness';
import { DiagGaussian, Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  almClassifierLoss,
  almCriticLoss,
  almEncoderModelLoss,
  almPolicyLoss,
  almRewardLoss,
  type Metric,
  type ObjectiveResult,
} from '@mbrl-ts/objectives';
import {
  AgentStateError,
  almAlgorithm,
  almReplayCapacity,
  almSchema,
  explorationStd,
  minimizeDeferred,
  type AlmAgent,
} from '../src';
import { smallAlm } from './alm-helpers';
import { changed, filledReplay, smallSac, snapshot } from './helpers';

await initBackend('wasm', { logger: () => {} });

const obs = Float64Array.of(0.3, -1.2, 0.8);
const groups = [
  'encoder.',
  'encoder_target.',
  'model.',
  'reward.',
  'classifier.',
  'critic.',
  'critic_target.',
  'actor.',
];
const groupsOf = (names: string[]) => groups.filter((g) => names.some((n) => n.startsWith(g)));

/** Inputs of the four losses built from a (K = 2, B = 4) batch of fixed tensors and the agent's nets. */
function lossesOf(agent: AlmAgent): Record<string, () => ObjectiveResult> {
  const rng = new Rng(5);
  const noise = { std: 0.5, clip: 0.3, rng };
  const B = 4;
  const L = agent.config.latentSize;
  const z = () => tf.randomNormal([B, L], 0, 1, 'float32', 1);
  const a = () => tf.randomUniform([B, 1], -1, 1, 'float32', 2);
  return {
    eq7: () =>
      almEncoderModelLoss({
        encoder: agent.encoder,
        model: agent.model,
        reward: agent.reward,
        critic: agent.critic,
        actor: agent.actor,
        observation: tf.randomNormal([B, 3], 0, 1, 'float32', 3),
        actions: tf.randomUniform([2, B, 1], -1, 1, 'float32', 4),
        targetNext: new DiagGaussian(tf.randomNormal([2, B, L], 0, 1, 'float32', 5), tf.ones([2, B, L])),
        noise,
      }),
    eq8: () =>
      almPolicyLoss({
        actor: agent.actor,
        model: agent.model,
        reward: agent.reward,
        classifier: agent.classifier,
        critic: agent.critic,
        latent: z(),
        horizon: 2,
        gamma: 0.99,
        lambda: 0.95,
        noise,
      }),
    eq9: () =>
      almClassifierLoss({
        classifier: agent.classifier,
        latent: z(),
        action: a(),
        realNext: tf.randomNormal([B, L], 0, 1, 'float32', 6),
        imaginedNext: tf.randomNormal([B, L], 0, 1, 'float32', 7),
        realMask: tf.tensor1d([1, 0, 1, 0]),
      }),
    eq10: () =>
      almCriticLoss({
        critic: agent.critic,
        targetCritic: agent.targetCritic,
        actor: agent.actor,
        latent: z(),
        action: a(),
        reward: tf.ones([B]),
        nextLatent: tf.randomNormal([B, L], 0, 1, 'float32', 8),
        terminated: tf.zeros([B]),
        gamma: 0.99,
        noise,
      }),
    eq11: () => almRewardLoss({ reward: agent.reward, latent: z(), action: a(), target: tf.ones([B]) }),
  };
}

function disposeMetrics(metrics: Record<string, Metric>): void {
  tf.dispose(Object.values(metrics).filter((m): m is tf.Scalar => typeof m !== 'number'));
}

describe('AlmAgent gradient routing (Table 4)', () => {
  const cases: Array<[string, (agent: AlmAgent) => Parameters<typeof minimizeDeferred>[1], string[]]> = [
    ['eq7', (agent) => agent.encoderModelVariables(), ['encoder.', 'model.']],
    ['eq8', (agent) => agent.actor, ['actor.']],
    ['eq9', (agent) => agent.rewardClassifierVariables(), ['classifier.']],
    ['eq10', (agent) => agent.critic, ['critic.']],
    ['eq11', (agent) => agent.rewardClassifierVariables(), ['reward.']],
  ];
  it.each(cases)('%s changes exactly its own networks', (name, select, expected) => {
    const agent = smallAlm(filledReplay());
    const optimizer =
      name === 'eq7'
        ? agent.modelOptimizer
        : name === 'eq8'
          ? agent.actorOptimizer
          : name === 'eq10'
            ? agent.criticOptimizer
            : agent.rewardOptimizer;
    const before = snapshot(agent.parameters());
    const step = minimizeDeferred(optimizer, select(agent), lossesOf(agent)[name]);
    disposeMetrics(step.metrics);
    expect(step.gradNorm).toBeGreaterThan(0);
    const moved = changed(before, snapshot(agent.parameters()));
    expect(groupsOf(moved)).toEqual(expected);
    // within a group every weight matrix moves (no stray stop-gradient)
    for (const n of [...agent.parameters().keys()].filter(
      (k) => expected.some((g) => k.startsWith(g)) && k.endsWith('0.weight'),
    ))
      expect(moved).toContain(n);
    agent.dispose();
  });

  it('one update trains every network and moves the targets by tau only', () => {
    const agent = smallAlm(filledReplay());
    const before = snapshot(agent.parameters());
    agent.update(6000);
    const after = snapshot(agent.parameters());
    expect(groupsOf(changed(before, after))).toEqual(groups);
    // target = (1 - tau) target + tau online_after, element by element
    const tau = agent.config.tau;
    for (const [name, values] of after) {
      if (!name.startsWith('encoder_target.')) continue;
      const online = after.get(name.replace('encoder_target.', 'encoder.')) as Float32Array;
      const old = before.get(name) as Float32Array;
      values.forEach((v, i) => expect(v).toBeCloseTo((1 - tau) * old[i] + tau * online[i], 5));
    }
    agent.dispose();
  });
});

describe('AlmAgent', () => {
  it('acts inside the bounds; evaluation uses the policy mean', () => {
    const agent = smallAlm(filledReplay());
    for (let i = 0; i < 20; i++) {
      const a = agent.act(obs, { step: 0, deterministic: i % 2 === 0 });
      expect(Math.abs(a[0])).toBeLessThanOrEqual(2);
    }
    agent.dispose();
  });

  it('explores with the linear std schedule of Table 3', () => {
    const config = defaultsOf(almSchema);
    expect(explorationStd(config, 0)).toBe(1);
    expect(explorationStd(config, 50_000)).toBeCloseTo(0.55, 10);
    expect(explorationStd(config, 100_000)).toBeCloseTo(0.1, 10);
    expect(explorationStd(config, 300_000)).toBeCloseTo(0.1, 10);
  });

  it('counts the schedule in updates from the first one (the authors\u2019 count), not in environment steps', () => {
    // The harness calls update(step) with the environment step (6000 after a 5000-step warm-up
    // and 1000 updates); the n-th update uses std at n: 1 - 0.9 n / 4 with a duration of 4.
    const agent = smallAlm(filledReplay(), 0, { explorationStdDuration: 4 });
    const stds = [0.775, 0.55, 0.325, 0.1, 0.1];
    stds.forEach((std, i) => expect(agent.update(6000 + i).exploration_std).toBeCloseTo(std, 12));
    agent.dispose();
    const paper = smallAlm(filledReplay());
    expect(paper.update(10_000).exploration_std).toBeCloseTo(0.1 + 0.9 * (1 - 1 / 100_000), 12);
    paper.dispose();
  });

  it('acts with the std of the updates done so far: std 0 after the one update of a (1 -> 0, 1) schedule', () => {
    // Three agents on one seed draw the same latent; only the exploration noise can differ.
    const schedule = { explorationStdStart: 1, explorationStdEnd: 0, explorationStdDuration: 1 };
    const [fresh, trained, mode] = [0, 1, 2].map(() => smallAlm(filledReplay(), 4, schedule));
    trained.updates = 1;
    const meanAction = mode.act(obs, { step: 0, deterministic: true });
    expect(trained.act(obs, { step: 0, deterministic: false })).toEqual(meanAction);
    expect(fresh.act(obs, { step: 10_000, deterministic: false })).not.toEqual(meanAction);
    [fresh, trained, mode].forEach((agent) => agent.dispose());
  });

  it('replay capacity 1e6 for Humanoid, 1e5 otherwise (Table 3)', () => {
    const config = defaultsOf(almSchema);
    expect(almReplayCapacity('Humanoid-v4', config)).toBe(1_000_000);
    expect(almReplayCapacity('HumanoidTruncatedObs-v2', config)).toBe(1_000_000);
    expect(almReplayCapacity('HalfCheetah-v4', config)).toBe(100_000);
    expect(almAlgorithm.presets?.quick).toBeDefined();
    for (const field of Object.values(almSchema)) expect(field.doc.length).toBeGreaterThan(10);
  });

  it('same seed: identical metrics and parameters after 3 updates; another seed differs', () => {
    const [a, b, c] = [smallAlm(filledReplay(), 3), smallAlm(filledReplay(), 3), smallAlm(filledReplay(), 4)];
    for (let i = 0; i < 3; i++) {
      expect(a.update(6000 + i)).toEqual(b.update(6000 + i));
      c.update(6000 + i);
    }
    const [pa, pb, pc] = [snapshot(a.parameters()), snapshot(b.parameters()), snapshot(c.parameters())];
    for (const [name, values] of pa)
      expect(Array.from(pb.get(name) as Float32Array)).toEqual(Array.from(values));
    expect(changed(pa, pc).length).toBeGreaterThan(0);
    for (const x of [a, b, c]) x.dispose();
  }, 60_000);

  it('holds the tensor count flat over 100 updates, acting and lower bounds', () => {
    const agent = smallAlm(filledReplay());
    agent.update(6000);
    agent.act(obs, { step: 0, deterministic: false });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      agent.update(6000 + i);
      agent.act(obs, { step: i, deterministic: i % 2 === 0 });
    }
    agent.lowerBound(obs, [0.5]);
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  }, 120_000);

  it('save then load into a fresh agent resumes exactly (networks, targets, Adam, Rng, counters)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'alm-agent-')), 'agent');
    const a = smallAlm(filledReplay(), 1);
    for (let i = 0; i < 3; i++) a.update(6000 + i);
    await a.save(dir);
    const b = smallAlm(filledReplay(), 99);
    await b.load(dir);
    expect(b.updates).toBe(3);
    expect(Array.from(b.act(obs, { step: 7000, deterministic: false }))).toEqual(
      Array.from(a.act(obs, { step: 7000, deterministic: false })),
    );
    expect(b.update(6003)).toEqual(a.update(6003));
    const [pa, pb] = [snapshot(a.parameters()), snapshot(b.parameters())];
    expect(changed(pa, pb)).toEqual([]);
    const sac = smallSac(filledReplay());
    await expect(sac.load(dir)).rejects.toThrow(AgentStateError);
    await expect(sac.load(dir)).rejects.toThrow(/holds a alm agent, not sac/);
    for (const x of [a, b, sac]) x.dispose();
  }, 60_000);

  it('lowerBound returns one finite number per state-action pair and changes no parameter', () => {
    const agent = smallAlm(filledReplay());
    const before = snapshot(agent.parameters());
    const bound = agent.lowerBound([...obs, ...obs], [0.5, -1]);
    expect(bound).toHaveLength(2);
    for (const v of bound) expect(Number.isFinite(v)).toBe(true);
    expect(changed(before, snapshot(agent.parameters()))).toEqual([]);
    expect(() => agent.lowerBound(obs, [0.5, 1])).toThrow(/expected N \* 3 and N \* 1/);
    agent.dispose();
  });
});

describe('AlmAgent ablation keys', () => {
  const K = 3;
  const first = (overrides: Parameters<typeof smallAlm>[2]) => {
    const agent = smallAlm(filledReplay(), 2, overrides);
    const metrics = agent.update(6000);
    const params = snapshot(agent.parameters());
    agent.dispose();
    return { metrics, params };
  };
  const base = first({});
  const near = (a: number, b: number) => expect(a).toBeCloseTo(b, 3);

  it('default: Eq. 7 loss = K mean KL - K mean r - mean Q', () => {
    const m = base.metrics;
    near(m.alm_loss, K * m.kl - K * m.alm_reward - m.alm_q);
  });

  it('klTerm false drops the KL from Eq. 7', () => {
    const m = first({ klTerm: false }).metrics;
    near(m.alm_loss, -K * m.alm_reward - m.alm_q);
    expect(m.kl).toBeCloseTo(base.metrics.kl, 5); // same samples, same KL; only the loss differs
  });

  it('valueTerm false drops Q from Eq. 7', () => {
    const m = first({ valueTerm: false }).metrics;
    near(m.alm_loss, K * m.kl - K * m.alm_reward);
  });

  it('klCoefficient scales the KL of Eq. 7', () => {
    const m = first({ klCoefficient: 2.5 }).metrics;
    near(m.alm_loss, 2.5 * K * m.kl - K * m.alm_reward - m.alm_q);
  });

  it('classifierReward false and classifierCoefficient change only the policy loss', () => {
    const off = first({ classifierReward: false });
    const c = first({ classifierCoefficient: 1 });
    for (const run of [off, c]) {
      expect(run.metrics.alm_loss).toBe(base.metrics.alm_loss);
      expect(run.metrics.actor_loss).not.toBe(base.metrics.actor_loss);
    }
  });

  it("actorLoss 'td3' trains the policy on -min Q(z, pi(z)) (no imagined rollout)", () => {
    const m = first({ actorLoss: 'td3' }).metrics;
    expect(m.imagined_reward).toBeUndefined();
    expect(m.actor_loss).not.toBe(base.metrics.actor_loss);
  });

  it.each([1, 5, 10])('horizon K = %i rolls the model K steps', (horizon) => {
    const m = first({ horizon }).metrics;
    near(m.alm_loss, horizon * m.kl - horizon * m.alm_reward - m.alm_q);
  });

  it('logRewardShift transforms r and Q in Eq. 7 and 8', () => {
    const m = first({ logRewardShift: 2 }).metrics;
    expect(m.alm_loss).not.toBe(base.metrics.alm_loss);
    expect(m.actor_loss).not.toBe(base.metrics.actor_loss);
  });

  it('entropyCoefficient (ALM-ENT) gives the policy a learned std and changes its loss', () => {
    const run = first({ entropyCoefficient: 0.1 });
    expect(run.params.get('actor.net.4.weight')?.length).toBe(16 * 2);
    expect(run.metrics.actor_loss).not.toBe(base.metrics.actor_loss);
  });

  it('linearClassifier makes the classifier one Linear layer', () => {
    const run = first({ linearClassifier: true });
    expect([...run.params.keys()].filter((n) => n.startsWith('classifier.'))).toEqual([
      'classifier.net.0.weight',
      'classifier.net.0.bias',
    ]);
    expect(run.metrics.classifier_loss).not.toBe(base.metrics.classifier_loss);
  });
});
