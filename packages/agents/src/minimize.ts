/**
 * One optimizer step on one objective, with its metrics read as numbers.
 *
 * `variables` names exactly what this loss trains (tf.variableGrads with an explicit list inside
 * nn's Adam): everything else the objective touches (targets, the other networks) is read but
 * never changed. Metric tensors are kept out of the gradient scope, read in one round trip and
 * disposed; a metric that is the loss itself reads the value the optimizer reports.
 */
import { tf, type Adam, type StepResult, type VariableSelection } from '@mbrl-ts/nn';
import { readMetrics, type Metric, type ObjectiveResult } from '@mbrl-ts/objectives';

export function minimizeObjective(
  optimizer: Adam,
  variables: VariableSelection,
  objective: () => ObjectiveResult,
): Record<string, number> {
  let kept: Record<string, Metric> = {};
  const aliases: string[] = [];
  let step: StepResult;
  try {
    step = optimizer.minimize(() => {
      const result = objective();
      kept = {};
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
  const metrics = readMetrics(kept);
  for (const name of aliases) metrics[name] = step.loss;
  return metrics;
}
