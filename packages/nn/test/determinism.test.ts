import * as tf from '@tensorflow/tfjs';
import { Adam, Rng, boundedGaussian, mlp, standardNormal } from '../src/index';
import { expectClose, useBackend, useWasm, values } from './helpers';

/** Build a net from `seed`, sample a latent, take three Adam steps; return every number produced. */
function run(seed: number): { init: number[]; sample: number[]; losses: number[]; final: number[] } {
  const rng = new Rng(seed);
  const net = mlp({ inputSize: 5, hiddenSizes: [12, 12], outputSize: 6, rng });
  const x = standardNormal([4, 5], rng);
  const init = net.parameters().flatMap(values);
  const sample = tf.tidy(() => values(boundedGaussian(net.forward(x)).rsample(rng)));
  const adam = new Adam({ learningRate: 3e-3 });
  const losses: number[] = [];
  for (let i = 0; i < 3; i++) {
    losses.push(
      adam.minimize(
        () =>
          tf.tidy(() =>
            tf.mean(
              boundedGaussian(net.forward(x))
                .logProb(tf.zeros([4, 3]))
                .neg(),
            ),
          ) as tf.Scalar,
        net,
      ).loss,
    );
  }
  const final = net.parameters().flatMap(values);
  adam.dispose();
  net.dispose();
  x.dispose();
  return { init, sample, losses, final };
}

describe('determinism', () => {
  it('same seed and backend give identical numbers (init, rsample, Adam steps)', async () => {
    await useWasm();
    const a = run(42);
    const b = run(42);
    expect(b).toEqual(a);
    const c = run(43);
    expect(c.init).not.toEqual(a.init);
  });

  it('cpu and wasm agree on the same seed within float tolerance', async () => {
    await useWasm();
    const wasm = run(7);
    await useBackend('cpu');
    const cpu = run(7);
    await useWasm();
    expect(cpu.init).toEqual(wasm.init);
    expectClose(cpu.sample, wasm.sample, 1e-4);
    expectClose(cpu.losses, wasm.losses, 1e-3);
    expectClose(cpu.final, wasm.final, 1e-4);
  });
});
