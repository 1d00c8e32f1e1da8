/**
 * Saving and restoring a network's parameters (and, alongside, its optimizer's state) by name.
 * Loading requires the file to hold exactly the selection's names with the same shapes, so a
 * checkpoint can never be silently applied to a different architecture.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ParameterFileError } from '../errors';
import type { Adam } from '../optim/adam';
import { namedSelection, type VariableSelection } from '../optim/selection';
import { loadTensors, saveTensors, tensorFilePaths } from './tensor-file';

/** Save the named variables of `selection` to `<path>.json` + `<path>.bin`. */
export async function saveParameters(
  path: string,
  selection: VariableSelection,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  await saveTensors(path, namedSelection(selection) as Map<string, tf.Tensor>, metadata);
}

/** Assign the values stored at `path` to the named variables of `selection` (names and shapes must match). */
export async function loadParameters(
  path: string,
  selection: VariableSelection,
): Promise<Record<string, unknown>> {
  const { tensors, manifest } = await loadTensors(path);
  try {
    const named = namedSelection(selection);
    const where = tensorFilePaths(path).manifest;
    const missing = [...named.keys()].filter((name) => !tensors.has(name));
    const extra = [...tensors.keys()].filter((name) => !named.has(name));
    if (missing.length > 0 || extra.length > 0) {
      throw new ParameterFileError(
        where,
        `names differ from the network (missing in file: [${missing.slice(0, 8).join(', ')}], not in network: [${extra.slice(0, 8).join(', ')}]); was it saved from another architecture?`,
      );
    }
    for (const [name, variable] of named) {
      const stored = tensors.get(name) as tf.Tensor;
      if (stored.shape.join(',') !== variable.shape.join(',') || stored.dtype !== variable.dtype) {
        throw new ParameterFileError(
          where,
          `'${name}' is ${stored.dtype}[${stored.shape}] in the file, ${variable.dtype}[${variable.shape}] in the network`,
        );
      }
    }
    for (const [name, variable] of named) variable.assign(tensors.get(name) as tf.Tensor);
    return manifest.metadata;
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

/** Save `optimizer`'s state for the named variables of `selection`. */
export async function saveOptimizerState(
  path: string,
  optimizer: Adam,
  selection: VariableSelection,
): Promise<void> {
  const state = optimizer.getState(selection);
  try {
    await saveTensors(path, state, {
      optimizer: 'adam',
      learningRate: optimizer.learningRate,
      beta1: optimizer.beta1,
      beta2: optimizer.beta2,
    });
  } finally {
    tf.dispose([...state.values()]);
  }
}

/** Restore `optimizer`'s state for the named variables of `selection`. */
export async function loadOptimizerState(
  path: string,
  optimizer: Adam,
  selection: VariableSelection,
): Promise<void> {
  const { tensors } = await loadTensors(path);
  try {
    optimizer.setState(selection, tensors);
  } finally {
    tf.dispose([...tensors.values()]);
  }
}
