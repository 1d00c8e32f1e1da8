/**
 * The baselines' objectives as values: the values passed at construction are the ones the update
 * calls (a zeroed actor loss leaves the actor where it was and the critics still learn), every
 * agent's terms are reached once per update, the defaults are the papers' functions, a wrong term
 * is refused, and a variant registered by name carries its name into state.json.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultsOf } from '@mbrl-ts/contract';
import { makeEnv } from '@mbrl-ts/envs';
import { initBackend } from '@mbrl-ts/kernels';
import { tf } from '@mbrl-ts/nn';
import {
  almPolicyLoss,
  mnmModelLoss,
  sacActorLoss,
  sacCriticLoss,
  sacSvgActorLoss,
  svg1ActorLoss,
  svg1ValueLoss,
  td3ActorLoss,
  td3CriticLoss,
  type ObjectiveResult,
} from '@mbrl-ts/objectives';
import { ReplayBuffer } from '@mbrl-ts/replay';
import {
  MNM_TERMS,
  MnmAgent,
  mnmSchema,
  SAC_SVG_TERMS,
  SAC_TERMS,
  SacAgent,
  sacAlgorithmWith,
  sacSchema,
  SacSvgAgent,
  sacSvgSchema,
  SVG1_TERMS,
  Svg1Agent,
  svg1Schema,
  TD3_TERMS,
  Td3Agent,
  td3Schema,
  type Objective,
} from '../src';
import { changed, filledReplay, snapshot, testAgentOptions } from './helpers';
import { tinyMnm } from './mnm-helpers';

await initBackend('wasm', { logger: () => {} });

/** `objective` with its calls counted. */
function counted<I>(objective: Objective<I>): { fn: Objective<I>; calls: () => number } {
  let n = 0;
  return {
    fn: (inputs) => {
      n += 1;
      return objective(inputs);
    },
    calls: () => n,
  };
}

/** `objective` with its loss multiplied by 0: no gradient reaches what it trains. */
function zeroed<I>(objective: Objective<I>): Objective<I> {
  return (inputs) => {
    const result: ObjectiveResult = objective(inputs);
    return { loss: tf.mul(result.loss, 0) as tf.Scalar, metrics: { ...result.metrics, zeroed: 1 } };
  };
}

it('the defaults are the papers’ objectives', () => {
  expect(SAC_TERMS).toEqual({ criticLoss: sacCriticLoss, actorLoss: sacActorLoss });
  expect(TD3_TERMS).toEqual({ criticLoss: td3CriticLoss, actorLoss: td3ActorLoss });
  expect(SAC_SVG_TERMS).toEqual({
    criticLoss: sacCriticLoss,
    actorLoss: sacSvgActorLoss,
    modelFreeActorLoss: sacActorLoss,
  });
  expect(SVG1_TERMS).toEqual({ valueLoss: svg1ValueLoss, actorLoss: svg1ActorLoss });
  expect(MNM_TERMS).toEqual({ modelLoss: mnmModelLoss, actorLoss: almPolicyLoss });
});

it('SAC with a zeroed actor loss: the actor stays, the critics learn', () => {
  const config = { ...defaultsOf(sacSchema), batchSize: 16, hiddenSize: 16 };
  const agent = new SacAgent(testAgentOptions(filledReplay(), 2, config), {
    actorLoss: zeroed(sacActorLoss),
  });
  const before = snapshot(agent.parameters());
  agent.update(1);
  const moved = changed(before, snapshot(agent.parameters()));
  expect(moved.filter((n) => n.startsWith('actor.'))).toEqual([]);
  expect(moved.some((n) => n.startsWith('critic.'))).toBe(true);
  agent.dispose();
});

it('every agent calls the values it was given, once per loss and update', () => {
  const small = { hiddenSize: 16 };
  const svgSmall = {
    encoderHiddenSize: 8,
    latentSize: 8,
    headHiddenSize: 8,
    hiddenSize: 16,
    hiddenLayers: 2,
  };
  const c = {
    sacCritic: counted(sacCriticLoss),
    td3Critic: counted(td3CriticLoss),
    td3Actor: counted(td3ActorLoss),
    svgActor: counted(sacSvgActorLoss),
    svgModelFree: counted(sacActorLoss),
    svg1Value: counted(svg1ValueLoss),
    svg1Actor: counted(svg1ActorLoss),
    mnmModel: counted(mnmModelLoss),
    mnmActor: counted(almPolicyLoss),
  };
  const replay = filledReplay();
  const agents = [
    new SacAgent(testAgentOptions(replay, 0, { ...defaultsOf(sacSchema), ...small, batchSize: 16 }), {
      criticLoss: c.sacCritic.fn,
    }),
    new Td3Agent(testAgentOptions(replay, 0, { ...defaultsOf(td3Schema), ...small, batchSize: 16 }), {
      criticLoss: c.td3Critic.fn,
      actorLoss: c.td3Actor.fn,
    }),
    new SacSvgAgent(
      testAgentOptions(replay, 0, {
        ...defaultsOf(sacSvgSchema),
        ...svgSmall,
        stepBatchSize: 16,
        sequenceBatchSize: 8,
        modelUpdateRepeat: 1,
        modelFreeWarmupSteps: 2,
      }),
      { actorLoss: c.svgActor.fn, modelFreeActorLoss: c.svgModelFree.fn },
    ),
    new Svg1Agent(testAgentOptions(replay, 0, { ...defaultsOf(svg1Schema), ...svgSmall, batchSize: 16 }), {
      valueLoss: c.svg1Value.fn,
      actorLoss: c.svg1Actor.fn,
    }),
    new MnmAgent(testAgentOptions(replay, 0, { ...defaultsOf(mnmSchema), ...tinyMnm }), {
      modelLoss: c.mnmModel.fn,
      actorLoss: c.mnmActor.fn,
    }),
  ];
  for (const agent of agents) for (const step of [0, 1, 2, 3]) agent.update(step);
  const calls = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.calls()]));
  expect(calls).toEqual({
    sacCritic: 4,
    td3Critic: 4,
    td3Actor: 2, // policy delay 2
    svgModelFree: 2, // steps 0, 1 before modelFreeWarmupSteps
    svgActor: 2,
    svg1Value: 4,
    svg1Actor: 4,
    mnmModel: 4,
    mnmActor: 4,
  });
  for (const agent of agents) agent.dispose();
});

it('refuses a key that is not a term, and a term that is not a function', () => {
  const options = testAgentOptions(filledReplay(), 0, { ...defaultsOf(sacSchema), hiddenSize: 8 });
  expect(() => new SacAgent(options, { criticLos: sacCriticLoss } as never)).toThrow(
    'SacAgent: "criticLos" is not one of its terms (criticLoss, actorLoss)',
  );
  expect(() => new SacAgent(options, { actorLoss: 3 } as never)).toThrow(
    'SacAgent: term "actorLoss" must be a function, got number',
  );
});

it('a variant registered by name is built by its spec and saved under its name', async () => {
  const spec = sacAlgorithmWith({ actorLoss: zeroed(sacActorLoss) }, { name: 'sac-frozen-actor' });
  expect(spec.name).toBe('sac-frozen-actor');
  expect(spec.schema).toBe(sacSchema);
  const env = await makeEnv('Pendulum-v1');
  const replay = new ReplayBuffer({ capacity: 10, observationDim: 3, actionDim: 1 });
  const agent = await spec.create({
    env,
    replay,
    config: { ...defaultsOf(sacSchema), hiddenSize: 8 },
    seed: 0,
  });
  expect(agent.algo).toBe('sac-frozen-actor');
  const dir = mkdtempSync(join(tmpdir(), 'sac-variant-'));
  await agent.save(dir);
  expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).algo).toBe('sac-frozen-actor');
  agent.dispose();
  env.close();
});
