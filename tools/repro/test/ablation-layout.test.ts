/**
 * An ablation grid's <variant> level: a run belongs under a variant when its config.json has the
 * variant's values, or the settings runs written before ALM's ablations became values recorded
 * (results/ablations-pendulum-3k has klTerm=false where runs now have klCoefficient=0).
 */
import { almSchema } from '@mbrl-ts/agents';
import { resolveConfig } from '@mbrl-ts/harness';
import { ABLATION_LAYOUT } from '../src/ablations/ablation-report';
import { ABLATION_VARIANTS } from '../src/ablations/variants';
import type { SavedConfig } from '../src/report/read-runs';

const config = (agent: Record<string, unknown>) =>
  ({ algo: 'alm', env: 'Pendulum-v1', agent }) as unknown as SavedConfig;
const check = (variant: string, agent: Record<string, unknown>) => () =>
  ABLATION_LAYOUT.checkRun!('/runs/x/seed0', variant, config(agent));

it('accepts the values the variants set now', () => {
  expect(check('alm-no-kl', { horizon: 3, klCoefficient: 0 })).not.toThrow();
  expect(check('alm-no-value', { horizon: 3, valueTerm: 'none' })).not.toThrow();
  expect(check('alm-no-classifier', { horizon: 3, classifierCoefficient: 0 })).not.toThrow();
});

it('accepts the boolean settings of older run directories for the same variants', () => {
  expect(check('alm-no-kl', { horizon: 3, klTerm: false, klCoefficient: 1 })).not.toThrow();
  expect(check('alm-no-value', { horizon: 3, valueTerm: false })).not.toThrow();
  expect(
    check('alm-no-classifier', { horizon: 3, classifierReward: false, classifierCoefficient: 0.1 }),
  ).not.toThrow();
});

it('refuses a run of another variant, naming the value it needs', () => {
  expect(check('alm-no-kl', { horizon: 3, klCoefficient: 1, klTerm: true })).toThrow(
    'is not a run of the variant ALM(3) no KL term: its config.json has klCoefficient=1, the variant needs 0',
  );
  expect(check('alm-no-value', { horizon: 3, valueTerm: 'min-q' })).toThrow(
    /valueTerm="min-q", the variant needs "none"/,
  );
});

it("every ALM variant's values pass the ALM schema", () => {
  for (const variant of ABLATION_VARIANTS.filter((v) => v.algo === 'alm')) {
    expect(resolveConfig(almSchema, variant.settings, variant.key)).toMatchObject(variant.settings);
  }
});
