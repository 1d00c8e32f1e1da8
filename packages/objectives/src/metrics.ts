/**
 * Reading objective metrics: scalar tensors are read in one device round trip and disposed.
 */
import { tf } from '@mbrl-ts/nn';
import type { Metric } from './types';

/** The metrics as plain numbers; tensor metrics are disposed. */
export function readMetrics(metrics: Readonly<Record<string, Metric>>): Record<string, number> {
  const out: Record<string, number> = {};
  const names: string[] = [];
  const tensors: tf.Scalar[] = [];
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value === 'number') out[name] = value;
    else {
      names.push(name);
      tensors.push(value);
    }
  }
  if (tensors.length > 0) {
    const unique = [...new Set(tensors)];
    const stacked = tf.tidy(() => tf.stack(unique.map((t) => tf.reshape(t, []))));
    const values = stacked.dataSync();
    stacked.dispose();
    names.forEach((name, i) => (out[name] = values[unique.indexOf(tensors[i])]));
    tf.dispose(unique);
  }
  return out;
}
