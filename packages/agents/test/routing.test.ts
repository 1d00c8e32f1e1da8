/**
 * Gradient routing: each loss changes exactly the variables it is meant to train. The objectives
 * read other networks (targets, the actor inside the critic target, the critics inside the actor
 * loss), and none of those may move; targets move only by Polyak averaging.
 */
import { Adam, Rng, softUpdate, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  sacActorLoss,
  sacCriticLoss,
  sacTemperatureLoss,
  td3ActorLoss,
  td3CriticLoss,
} from '@mbrl-ts/objectives';
import { minimizeObjective, transitionTensors, ActionScaling, disposeTransitionTensors } from '../src';
import { changed, filledReplay, namesWith, smallSac, smallTd3, snapshot } from './helpers';

// top level: the describe bodies below build agents while jest collects the tests
await initBackend('wasm', { logger: () => {} });

const scaling = new ActionScaling([-2], [2]);

describe('SAC gradient routing', () => {
  const replay = filledReplay();
  const agent = smallSac(replay);
  // warm the optimizers and move the critics away from their targets
  for (let i = 0; i < 3; i++) agent.update(i);
  const all = agent.parameters();
  const rng = new Rng(123);
  const batch = transitionTensors(replay.sampleTransitions(16, rng), scaling);
  afterAll(() => {
    disposeTransitionTensors(batch);
    agent.dispose();
  });

  it('the critic loss changes critic.* only', () => {
    const before = snapshot(all);
    minimizeObjective(agent.criticOptimizer, agent.critic, () =>
      sacCriticLoss({
        critic: agent.critic,
        targetCritic: agent.targetCritic,
        actor: agent.actor,
        batch,
        alpha: 0.2,
        gamma: 0.99,
        rng,
      }),
    );
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'critic.').sort());
  });

  it('the actor loss changes actor.* only', () => {
    const before = snapshot(all);
    minimizeObjective(agent.actorOptimizer, agent.actor, () =>
      sacActorLoss({
        actor: agent.actor,
        critic: agent.critic,
        observation: batch.observation,
        alpha: 0.2,
        rng,
      }),
    );
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'actor.').sort());
  });

  it('the temperature loss changes log_alpha only', () => {
    const before = snapshot(all);
    minimizeObjective(agent.alphaOptimizer, [agent.logAlpha], () =>
      sacTemperatureLoss({ logAlpha: agent.logAlpha, logProbMean: -0.5, targetEntropy: -1 }),
    );
    expect(changed(before, snapshot(all))).toEqual(['log_alpha']);
  });

  it('targets move only by the Polyak update', () => {
    const before = snapshot(all);
    softUpdate(agent.targetCritic, agent.critic, 0.005);
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'critic_target.').sort());
  });

  it('a whole update changes every trained network and the targets, with the expected metrics', () => {
    const before = snapshot(all);
    const metrics = agent.update(0);
    expect(changed(before, snapshot(all)).sort()).toEqual([...all.keys()].sort());
    expect(Object.keys(metrics).sort()).toEqual(
      ['actor_loss', 'alpha', 'critic_loss', 'entropy', 'q1_mean', 'q2_mean', 'temperature_loss'].sort(),
    );
    for (const v of Object.values(metrics)) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('TD3 gradient routing', () => {
  const replay = filledReplay();
  const agent = smallTd3(replay);
  for (let i = 0; i < 4; i++) agent.update(i);
  const all = agent.parameters();
  const rng = new Rng(123);
  const batch = transitionTensors(replay.sampleTransitions(16, rng), scaling);
  afterAll(() => {
    disposeTransitionTensors(batch);
    agent.dispose();
  });

  it('the critic loss changes critic.* only', () => {
    const before = snapshot(all);
    minimizeObjective(agent.criticOptimizer, agent.critic, () =>
      td3CriticLoss({
        critic: agent.critic,
        targetCritic: agent.targetCritic,
        targetActor: agent.targetActor,
        batch,
        gamma: 0.99,
        policyNoise: 0.2,
        noiseClip: 0.5,
        rng,
      }),
    );
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'critic.').sort());
  });

  it('the actor loss changes actor.* only (Q1 passes gradient but does not move)', () => {
    const before = snapshot(all);
    minimizeObjective(agent.actorOptimizer, agent.actor, () =>
      td3ActorLoss({ actor: agent.actor, critic: agent.critic, observation: batch.observation }),
    );
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'actor.').sort());
  });

  it('the policy delay: odd updates train the critics only, even updates also the actor and both targets', () => {
    expect(agent.updates % 2).toBe(0);
    let before = snapshot(all);
    agent.update(0);
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'critic.').sort());
    before = snapshot(all);
    agent.update(0);
    expect(changed(before, snapshot(all)).sort()).toEqual([...all.keys()].sort());
  });

  it('keeps the tensor count unchanged by a gradient step', () => {
    const before = tf.memory().numTensors;
    agent.update(0);
    agent.update(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('minimizeObjective', () => {
  it('reads metrics, including one that is the loss itself, and leaves no tensor behind', () => {
    const w = tf.variable(tf.scalar(3));
    const optimizer = new Adam({ learningRate: 0.1 });
    const objective = () => {
      const loss = tf.square(w) as tf.Scalar;
      return { loss, metrics: { loss_again: loss, doubled: tf.mul(w, 2) as tf.Scalar, constant: 7 } };
    };
    expect(minimizeObjective(optimizer, [w], objective)).toEqual({ loss_again: 9, doubled: 6, constant: 7 });
    expect(w.dataSync()[0]).toBeCloseTo(2.9, 5); // Adam's first step moves by the learning rate
    const before = tf.memory().numTensors; // Adam's moments exist now
    minimizeObjective(optimizer, [w], objective);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    w.dispose();
  });

  it('frees the kept metrics when the step fails on a non-finite gradient', () => {
    const w = tf.variable(tf.scalar(0));
    const optimizer = new Adam({ learningRate: 0.1 });
    const before = tf.memory().numTensors;
    expect(() =>
      minimizeObjective(optimizer, [w], () => {
        const loss = tf.sqrt(tf.abs(w)) as tf.Scalar; // gradient at 0 is infinite
        return { loss, metrics: { w: tf.clone(w) as tf.Scalar } };
      }),
    ).toThrow(/gradient norm is Infinity/);
    expect(tf.memory().numTensors).toBe(before);
    expect(w.dataSync()[0]).toBe(0);
    w.dispose();
  });
});
