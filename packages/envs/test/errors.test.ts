import {
  EnvClosedError,
  InvalidActionError,
  InvalidStateError,
  ResetNeededError,
  makeEnv,
} from '../src/index';

describe('bad input gives typed errors naming the env; the env stays usable after reset', () => {
  test.each([
    ['too short', [0, 0], /HalfCheetah-v4: action has 2 entries but the action space has 6/],
    ['NaN', [0, 0, NaN, 0, 0, 0], /HalfCheetah-v4: action\[2\] is NaN/],
    ['infinite', new Float32Array([0, 0, 0, 0, Infinity, 0]), /HalfCheetah-v4: action\[4\] is Infinity/],
  ])('action %s', async (_name, action, message) => {
    const env = await makeEnv('HalfCheetah-v4');
    env.reset({ seed: 0 });
    expect(() => env.step(action)).toThrow(InvalidActionError);
    expect(() => env.step(action)).toThrow(message);
    expect(env.step([0, 0, 0, 0, 0, 0]).obs.length).toBe(17); // still usable
    env.close();
  });

  test('step before the first reset', async () => {
    const env = await makeEnv('Hopper-v4');
    expect(() => env.step([0, 0, 0])).toThrow(ResetNeededError);
    expect(() => env.step([0, 0, 0])).toThrow(/Hopper-v4: step\(\) called before reset\(\)/);
    env.close();
  });

  test('step after termination, then reset makes it usable', async () => {
    const env = await makeEnv('InvertedPendulum-v4');
    env.reset({ seed: 0 });
    let terminated = false;
    while (!terminated) terminated = env.step([3]).terminated;
    expect(() => env.step([0])).toThrow(
      /InvertedPendulum-v4: step\(\) called after the episode terminated; call reset\(\)/,
    );
    env.reset();
    expect(env.step([0]).terminated).toBe(false);
    env.close();
  });

  test('step after truncation, then reset makes it usable', async () => {
    const env = await makeEnv('HalfCheetah-v4', { maxEpisodeSteps: 3 });
    env.reset({ seed: 0 });
    const zero = new Float64Array(6);
    expect([env.step(zero).truncated, env.step(zero).truncated, env.step(zero).truncated]).toEqual([
      false,
      false,
      true,
    ]);
    expect(() => env.step(zero)).toThrow(ResetNeededError);
    expect(() => env.step(zero)).toThrow(
      /HalfCheetah-v4: step\(\) called after the episode was truncated at 3 steps/,
    );
    env.reset();
    expect(env.step(zero).truncated).toBe(false);
    env.close();
  });

  test('a closed env refuses every call; close twice is harmless', async () => {
    const env = await makeEnv('Walker2d-v4');
    env.close();
    env.close();
    expect(() => env.reset()).toThrow(EnvClosedError);
  });

  test('setState with a state of another env or of the wrong size', async () => {
    const cheetah = await makeEnv('HalfCheetah-v4');
    const hopper = await makeEnv('Hopper-v4');
    cheetah.reset();
    hopper.reset();
    expect(() => hopper.setState(cheetah.getState())).toThrow(InvalidStateError);
    const bad = { ...hopper.getState(), physics: { ...hopper.getState().physics, qpos: [1, 2] } };
    expect(() => hopper.setState(bad)).toThrow(/Hopper-v4: the state needs physics.qpos \(6 numbers\)/);
    const badXpos = { ...hopper.getState(), physics: { ...hopper.getState().physics, xpos: [0, 0, 0] } };
    expect(() => hopper.setState(badXpos)).toThrow(
      /Hopper-v4: physics.xpos, when given, needs 15 numbers \(3 per body\)/,
    );
    cheetah.close();
    hopper.close();
  });

  test('a bad seed is rejected', async () => {
    const env = await makeEnv('Pendulum-v1');
    expect(() => env.reset({ seed: -1 })).toThrow(/Pendulum-v1: seed must be an integer/);
    env.close();
  });
});
