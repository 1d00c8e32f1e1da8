/** The ways a caller names "these parameters": a module, a name -> variable map, or a plain list. */
import type * as tf from '@tensorflow/tfjs-core';
import { Module, type NamedVariables } from '../modules/module';

export type VariableSelection = Module | NamedVariables | readonly tf.Variable[];

/** The selected variables as a duplicate-free list, in a stable order. */
export function selectVariables(selection: VariableSelection): tf.Variable[] {
  const list =
    selection instanceof Module
      ? selection.parameters()
      : selection instanceof Map
        ? [...selection.values()]
        : [...selection];
  return [...new Set(list)];
}

/** The selection as named variables (a plain list is named by position). */
export function namedSelection(selection: VariableSelection): NamedVariables {
  if (selection instanceof Module) return selection.variables();
  if (selection instanceof Map) return selection;
  return new Map(selection.map((variable, index) => [String(index), variable]));
}
