/**
 * One optimizer step on one objective: the one helper every agent's losses go through.
 *
 * `variables` names exactly what this loss trains (tf.variableGrads with an explicit list inside
 * nn's Adam): everything else the objective touches (targets, the other networks) is read but
 * never changed. Metric tensors are kept out of the gradient scope; a metric that is the loss
 * itself takes the value the optimizer reports. Two ways to read them:
 *
 *   minimizeDeferred   keeps the metric tensors: an agent taking several steps per update reads
 *                      all their metrics in one round trip at the end (`readMetrics`)
 *   minimizeObjective  the same step, its metrics read as numbers at once
 */
import { tf, type Adam, type VariableSelection } from '@mbrl-ts/nn';
import { readMetrics, type Metric, type ObjectiveResult } from '@mbrl-ts/objectives';

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
  let step;
  try {
    step = optimizer.minimize(() => {
      const result = objective();
      kept = {};
      aliases.length = 0;
      for (const [name, value] of Object.entries(result.metrics)) {
        if (value === result.loss) aliases.push(name);
        else kept[name] = typeof value === 'number' ? value : tf.keep(value);
      }
      return result.loss;
    }, variables);
  } catch (error) {
    // e.g. a non-finite gradient: nothing was updated; free the kept metrics before rethrowing
    tf.dispose(Object.values(kept).filter((v): v is tf.Scalar => typeof v !== 'number'));
    throw error;
  }
  for (const name of aliases) kept[name] = step.loss;
  return { loss: step.loss, gradNorm: step.gradNorm, metrics: kept };
}

export function minimizeObjective(
  optimizer: Adam,
  variables: VariableSelection,
  objective: () => ObjectiveResult,
): Record<string, number> {
  return readMetrics(minimizeDeferred(optimizer, variables, objective).metrics);
}
