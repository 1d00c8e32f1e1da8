/**
 * Forking from the public entry point only: a subclass of AlmAgent reaches what an update is made
 * of (replay, batches, scaling, the shared tensors), and a new agent built on CheckpointedAgent gets
 * its construction (sizes, scaling, replay, seeded streams) and its checkpoints from it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AlmAgent,
  almSchema,
  CheckpointedAgent,
  type AgentFiles,
  type AgentOptions,
  type AlmConfig,
} from '@mbrl-ts/agents';
import { defaultsOf, type ActContext, type UpdateMetrics } from '@mbrl-ts/contract';
import { initBackend } from '@mbrl-ts/kernels';
import { tf } from '@mbrl-ts/nn';
import { tinyAlm } from './alm-helpers';
import { filledReplay, testAgentOptions } from './helpers';

await initBackend('wasm', { logger: () => {} });

/** ALM that also reports what its update drew and the spread of its shared target latents. */
class InstrumentedAlm extends AlmAgent {
  override update(step: number): UpdateMetrics {
    const metrics = super.update(step);
    const shared = this.updateTensors();
    const spread = tf.tidy(() => tf.mean(shared.latentStd).dataSync()[0]);
    tf.dispose(Object.values(shared));
    return {
      ...metrics,
      sequence_rows: this.sequences.batchSize * this.sequences.horizon,
      transition_rows: this.transitions.batchSize,
      replay_rows: this.replay.size,
      action_scale: this.scaling.scale[0],
      target_latent_std: spread,
    };
  }
}

it('a subclass of AlmAgent reaches the replay, the batches, the scaling and the shared tensors', () => {
  const before = tf.memory().numTensors;
  const config: AlmConfig = { ...defaultsOf(almSchema), ...tinyAlm };
  const agent = new InstrumentedAlm(testAgentOptions(filledReplay(), 0, config));
  const metrics = agent.update(1);
  expect(metrics).toMatchObject({
    sequence_rows: 16 * 3,
    transition_rows: 16,
    replay_rows: 200,
    action_scale: 2,
  });
  expect(metrics.target_latent_std).toBeGreaterThan(0);
  expect(Number.isFinite(metrics.alm_loss)).toBe(true);
  agent.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

/** A uniform-random agent: no networks, only what CheckpointedAgent gives. */
class UniformAgent extends CheckpointedAgent {
  constructor(options: AgentOptions<Record<string, never>>) {
    super('uniform', options);
  }
  act(_obs: Float64Array, _context: ActContext): Float32Array {
    return this.scaling.toEnv(Array.from({ length: this.actionSize }, () => this.rng.uniformRange(-1, 1)));
  }
  update(): UpdateMetrics {
    this.updates += 1;
    return { replay_rows: this.replay.size };
  }
  protected files(): Omit<AgentFiles, 'state'> {
    return { parameters: new Map(), optimizers: {} };
  }
}

it('a new agent on CheckpointedAgent: bounds, seeded streams, save and load from the base class', async () => {
  const options = testAgentOptions(filledReplay(), 7, {});
  const agent = new UniformAgent(options);
  const twin = new UniformAgent(options);
  const obs = Float64Array.of(0, 0, 0);
  const context = { step: 0, deterministic: false };
  const actions = Array.from({ length: 20 }, () => agent.act(obs, context)[0]);
  expect(actions.every((a) => a >= -2 && a <= 2)).toBe(true); // Pendulum's box, from the unit box
  expect(Array.from({ length: 20 }, () => twin.act(obs, context)[0])).toEqual(actions); // same seed, same stream
  agent.update();
  const dir = mkdtempSync(join(tmpdir(), 'uniform-agent-'));
  await agent.save(dir);
  expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toMatchObject({
    algo: 'uniform',
    observationSize: 3,
    actionSize: 1,
    updates: 1,
  });
  const restored = new UniformAgent(options);
  await restored.load(dir);
  expect(restored.updates).toBe(1);
  expect(restored.act(obs, context)).toEqual(agent.act(obs, context));
  expect(() => new UniformAgent({ ...options, actionSize: 2 })).toThrow(
    'UniformAgent: actionSize 2 but the action bounds have 1 entries',
  );
});
