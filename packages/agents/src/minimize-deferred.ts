/**
 * One optimizer step on one objective whose metric tensors are kept, not read: an agent that takes
 * several steps per update reads all their metrics in one round trip at the end (`readMetrics`).
 * `variables` names exactly what the loss trains, as in `minimizeObjective`.
 */
import { tf, type Adam, type VariableSelection } from '@mbrl-ts/nn';
import type { Metric, ObjectiveResult } from '@mbrl-ts/objectives';

export interface DeferredStep {
  /** The loss before the step and the gradient norm before clipping, as Adam reports them. */
  readonly loss: number;
  readonly gradNorm: number;
  /** The objective's metrics (tensors kept; the caller reads and disposes them). */
  readonly metrics: Record<string, Metric>;
}

export function minimizeDeferred(
  optimizer: Adam,
  variables: VariableSelection,
  objective: () => ObjectiveResult,
): DeferredStep {
  let kept: Record<string, Metric> = {};
  const aliases: string[] = [];
  const step = optimizer.minimize(() => {
    const result = objective();
    kept = {};
    aliases.length = 0;
    for (const [name, value] of Object.entries(result.metrics)) {
      if (value === result.loss) aliases.push(name);
      else kept[name] = typeof value === 'number' ? value : tf.keep(value);
    }
    return result.loss;
  }, variables);
  for (const name of aliases) kept[name] = step.loss;
  return { loss: step.loss, gradNorm: step.gradNorm, metrics: kept };
}
