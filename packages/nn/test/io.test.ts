import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Adam,
  ParameterFileError,
  Rng,
  VariableMismatchError,
  loadOptimizerState,
  loadParameters,
  loadTensors,
  mlp,
  saveOptimizerState,
  saveParameters,
  saveTensors,
} from '../src/index';
import { useWasm, values } from './helpers';

describe('parameter files', () => {
  let dir: string;
  beforeAll(async () => {
    await useWasm();
    dir = await mkdtemp(join(tmpdir(), 'nn-io-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(() => tf.disposeVariables());

  const net = (seed: number, hidden = 4) =>
    mlp({ inputSize: 3, hiddenSizes: [hidden], outputSize: 2, layerNormTanhFirst: true, rng: new Rng(seed) });

  it('round-trips parameters with a manifest of names, shapes, dtypes and offsets', async () => {
    const source = net(1);
    await saveParameters(join(dir, 'critic'), source.variables('critic'), { step: 12 });
    const manifest = JSON.parse(await readFile(join(dir, 'critic.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 'mbrl-ts/tensors',
      version: 1,
      dataFile: 'critic.bin',
      byteLength: 4 * source.parameterCount(),
    });
    expect(manifest.tensors[0]).toEqual({
      name: 'critic.0.weight',
      dtype: 'float32',
      shape: [3, 4],
      byteOffset: 0,
      byteLength: 48,
    });
    expect(manifest.tensors[1]).toMatchObject({ name: 'critic.0.bias', byteOffset: 48 });
    // float32 little-endian: the first 4 bytes are the first weight.
    const bytes = await readFile(join(dir, 'critic.bin'));
    expect(bytes.readFloatLE(0)).toBe(values(source.variables().get('0.weight') as tf.Variable)[0]);
    const restored = net(2);
    expect(await loadParameters(join(dir, 'critic.json'), restored.variables('critic'))).toEqual({
      step: 12,
    });
    for (const [name, v] of source.variables())
      expect(values(restored.variables().get(name) as tf.Variable)).toEqual(values(v));
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('round-trips Adam state (m, v, step) and continues identically', async () => {
    const run = (model: ReturnType<typeof net>, adam: Adam) =>
      adam.minimize(
        () => tf.tidy(() => tf.mean(tf.square(model.forward(tf.tensor2d([[1, 2, 3]]))))) as tf.Scalar,
        model,
      );
    const a = net(3);
    const adamA = new Adam({ learningRate: 0.01 });
    run(a, adamA);
    run(a, adamA);
    await saveParameters(join(dir, 'a'), a);
    await saveOptimizerState(join(dir, 'a-adam'), adamA, a);
    const b = net(4);
    const adamB = new Adam({ learningRate: 0.01 });
    await loadParameters(join(dir, 'a'), b);
    await loadOptimizerState(join(dir, 'a-adam'), adamB, b);
    expect(adamB.stepOf(b.parameters()[0])).toBe(2);
    run(a, adamA);
    run(b, adamB);
    for (const [name, v] of a.variables())
      expect(values(b.variables().get(name) as tf.Variable)).toEqual(values(v));
    adamA.dispose();
    adamB.dispose();
  });

  it('fails with a typed error on a truncated data file', async () => {
    await saveParameters(join(dir, 't'), net(1));
    await truncate(join(dir, 't.bin'), 20);
    await expect(loadParameters(join(dir, 't'), net(1))).rejects.toThrow(
      /holds 20 bytes but the manifest expects 136: the file is truncated/,
    );
  });

  it('fails on a corrupted data file of the right length', async () => {
    await saveParameters(join(dir, 'c'), net(1));
    const bytes = await readFile(join(dir, 'c.bin'));
    bytes[5] ^= 0xff;
    await writeFile(join(dir, 'c.bin'), bytes);
    await expect(loadParameters(join(dir, 'c'), net(1))).rejects.toThrow(/checksum mismatch/);
  });

  it('fails on another format version, a broken manifest or a missing file', async () => {
    await saveParameters(join(dir, 'v'), net(1));
    const manifest = JSON.parse(await readFile(join(dir, 'v.json'), 'utf8'));
    await writeFile(join(dir, 'v.json'), JSON.stringify({ ...manifest, version: 2 }));
    await expect(loadParameters(join(dir, 'v'), net(1))).rejects.toThrow(/format version 2 is not supported/);
    await writeFile(join(dir, 'v.json'), '{"format": "mbrl-ts/ten');
    await expect(loadParameters(join(dir, 'v'), net(1))).rejects.toThrow(ParameterFileError);
    await expect(loadParameters(join(dir, 'nothing-here'), net(1))).rejects.toThrow(
      /cannot read the manifest/,
    );
  });

  it('fails when names or shapes differ from the network', async () => {
    await saveParameters(join(dir, 'n'), net(1).variables('critic'));
    await expect(loadParameters(join(dir, 'n'), net(1).variables('actor'))).rejects.toThrow(
      /names differ from the network \(missing in file: \[actor.0.weight/,
    );
    await saveParameters(join(dir, 's'), net(1, 4));
    const wider = net(1, 5);
    const before = values(wider.parameters()[0]);
    await expect(loadParameters(join(dir, 's'), wider)).rejects.toThrow(
      /'0.weight' is float32\[3,4\] in the file, float32\[3,5\] in the network/,
    );
    expect(values(wider.parameters()[0])).toEqual(before);
  });

  it('stores int32 tensors exactly and rejects other dtypes', async () => {
    await saveTensors(join(dir, 'i'), new Map([['k', tf.tensor1d([-7, 2 ** 30], 'int32')]]));
    const { tensors } = await loadTensors(join(dir, 'i'));
    expect(tensors.get('k')?.dtype).toBe('int32');
    expect(values(tensors.get('k') as tf.Tensor)).toEqual([-7, 2 ** 30]);
    await expect(
      saveTensors(join(dir, 'b'), new Map([['flag', tf.tensor1d([true], 'bool')]])),
    ).rejects.toThrow(/only float32 and int32/);
  });

  it('Adam state for unknown names is refused', () => {
    const adam = new Adam({ learningRate: 0.1 });
    expect(() => adam.setState(net(1), new Map([['ghost.adam_m', tf.zeros([1])]]))).toThrow(
      VariableMismatchError,
    );
  });
});
