/** SAC-SVG's model pieces: the GRU step by hand, the dynamics' residual unroll, the heads' shapes. */
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  GruCell,
  GruStack,
  ObservationDynamics,
  SquashedGaussianActor,
  StateActionHead,
  StateValue,
} from '../src';

beforeAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('GruCell', () => {
  it("one step follows torch.nn.GRU: r, z, n gates and h' = (1 - z) n + z h", () => {
    // input 1, hidden 1: gates (r, z, n) weights side by side
    const cell = new GruCell(1, 1, new Rng(0));
    tf.tidy(() => {
      cell.inputWeight.assign(tf.tensor2d([[0.5, -1, 2]]));
      cell.hiddenWeight.assign(tf.tensor2d([[1, 0.5, -0.5]]));
      cell.inputBias.assign(tf.tensor1d([0.1, 0, -0.2]));
      cell.hiddenBias.assign(tf.tensor1d([0, 0.3, 0.4]));
    });
    const x = 0.8;
    const h = -0.6;
    const r = sigmoid(0.5 * x + 0.1 + 1 * h + 0);
    const z = sigmoid(-1 * x + 0 + 0.5 * h + 0.3);
    const n = Math.tanh(2 * x - 0.2 + r * (-0.5 * h + 0.4));
    const expected = (1 - z) * n + z * h;
    const got = tf.tidy(() => cell.forward(tf.tensor2d([[x]]), tf.tensor2d([[h]])).dataSync()[0]);
    expect(got).toBeCloseTo(expected, 6);
    cell.dispose();
  });

  it('starts uniform in [-1/sqrt(H), 1/sqrt(H)] and rejects bad sizes', () => {
    const cell = new GruCell(3, 16, new Rng(1));
    const values = cell.hiddenWeight.dataSync();
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(cell.parameterCount()).toBe(3 * 48 + 16 * 48 + 48 + 48);
    cell.dispose();
    expect(() => new GruCell(0, 4, new Rng(1))).toThrow(/inputSize must be a positive integer, got 0/);
  });

  it('a stack feeds each layer the one below and keeps one state per layer', () => {
    const stack = GruStack.create(2, 4, 2, new Rng(2));
    tf.tidy(() => {
      const { output, state } = stack.step(tf.ones([3, 2]), stack.initialState(3));
      expect(output.shape).toEqual([3, 4]);
      expect(state).toHaveLength(2);
      expect(Array.from(output.dataSync())).toEqual(Array.from(state[1].dataSync()));
    });
    stack.dispose();
  });
});

describe('ObservationDynamics', () => {
  const make = () =>
    ObservationDynamics.create({
      observationSize: 3,
      actionSize: 2,
      encoderHiddenSize: 8,
      latentSize: 6,
      rng: new Rng(3),
    });

  it('predicts x + decoder(GRU(encoder(x, u))) and unrolls on its own predictions', () => {
    const model = make();
    tf.tidy(() => {
      const x0 = tf.tensor2d([[0.1, -0.2, 0.3]]);
      const us = tf.tensor3d([0.5, -0.5, 0.2, 0.1], [2, 1, 2]);
      const unrolled = model.unroll(x0, us);
      expect(unrolled.shape).toEqual([2, 1, 3]);
      const first = model.step(x0, tf.tensor2d([[0.5, -0.5]]), model.initialState(1));
      const second = model.step(first.nextObservation, tf.tensor2d([[0.2, 0.1]]), first.state);
      const expected = tf.stack([first.nextObservation, second.nextObservation]);
      expect(Array.from(unrolled.dataSync())).toEqual(Array.from(expected.dataSync()));
      // residual: with the decoder zeroed the prediction is the input
      model.decoder.variables().forEach((v) => v.assign(tf.zerosLike(v)));
      expect(
        Array.from(model.step(x0, tf.zeros([1, 2]), model.initialState(1)).nextObservation.dataSync()),
      ).toEqual(Array.from(x0.dataSync()));
    });
    model.dispose();
  });

  it('names its variables by part and clones name by name', () => {
    const model = make();
    const names = [...model.variables().keys()];
    expect(names).toContain('xu_encoder.0.weight');
    expect(names).toContain('recurrence.1.hidden_weight');
    expect(names).toContain('decoder.0.bias');
    const copy = model.clone();
    expect([...copy.variables().keys()]).toEqual(names);
    model.dispose();
    copy.dispose();
  });
});

describe("heads and the actor's tanh log-std bounds", () => {
  it('StateActionHead and StateValue give one number per row', () => {
    const head = StateActionHead.create({
      observationSize: 3,
      actionSize: 2,
      hiddenSize: 4,
      rng: new Rng(4),
    });
    const value = StateValue.create({ observationSize: 3, hiddenSizes: [4], rng: new Rng(5) });
    tf.tidy(() => {
      expect(head.forward(tf.zeros([2, 5, 3]), tf.zeros([2, 5, 2])).shape).toEqual([2, 5]);
      expect(value.forward(tf.zeros([7, 3])).shape).toEqual([7]);
    });
    head.dispose();
    value.dispose();
  });

  it('logStdTanhBounds maps the raw output into [min, max] smoothly', () => {
    const actor = SquashedGaussianActor.create({
      observationSize: 1,
      actionSize: 1,
      hiddenSizes: [],
      logStdTanhBounds: [-5, 2],
      rng: new Rng(6),
    });
    tf.tidy(() => {
      actor
        .variables()
        .get('net.0.weight')!
        .assign(tf.tensor2d([[0, 0]]));
      actor
        .variables()
        .get('net.0.bias')!
        .assign(tf.tensor1d([0, 0.3]));
      const std = actor.distribution(tf.zeros([1, 1])).std.dataSync()[0];
      expect(Math.log(std)).toBeCloseTo(-5 + 3.5 * (Math.tanh(0.3) + 1), 5);
    });
    expect(actor.clone().logStdTanhBounds).toEqual([-5, 2]);
    expect(() =>
      SquashedGaussianActor.create({
        observationSize: 1,
        actionSize: 1,
        logStdTanhBounds: [2, -5],
        rng: new Rng(0),
      }),
    ).toThrow(/min < max/);
    actor.dispose();
  });
});
