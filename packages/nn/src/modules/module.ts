/**
 * Modules: containers of named tf.Variables.
 *
 * A module exposes every parameter under a stable hierarchical name ("0.weight", "critic.q1.3.bias"),
 * so a loss can say exactly which parameters it trains, a target network can be matched to its
 * online twin name by name, and a parameter file can be checked against a network.
 */
import * as tf from '@tensorflow/tfjs-core';

export type NamedVariables = Map<string, tf.Variable>;

export abstract class Module {
  private readonly ownVariables: Array<[string, tf.Variable]> = [];
  private readonly children: Array<[string, Module]> = [];

  /** Register a parameter of this module under `name` (no dots). Returns it for assignment. */
  protected addVariable<V extends tf.Variable>(name: string, variable: V): V {
    checkName(name);
    this.ownVariables.push([name, variable]);
    return variable;
  }

  /** Register a sub-module under `name` (no dots). Returns it for assignment. */
  protected addChild<M extends Module>(name: string, child: M): M {
    checkName(name);
    this.children.push([name, child]);
    return child;
  }

  /**
   * Every parameter of this module and its children, in registration order, keyed by dotted
   * path; `prefix` is prepended ("critic" gives "critic.0.weight").
   */
  variables(prefix = ''): NamedVariables {
    const out: NamedVariables = new Map();
    const lead = prefix === '' ? '' : `${prefix}.`;
    for (const [name, variable] of this.ownVariables) out.set(`${lead}${name}`, variable);
    for (const [name, child] of this.children) {
      for (const [path, variable] of child.variables(`${lead}${name}`)) out.set(path, variable);
    }
    return out;
  }

  /** The parameters as a list, in the order of `variables()`, for an optimizer. */
  parameters(): tf.Variable[] {
    return [...this.variables().values()];
  }

  /** Total number of scalar parameters. */
  parameterCount(): number {
    let count = 0;
    for (const variable of this.variables().values()) count += variable.size;
    return count;
  }

  /**
   * A structurally identical module holding copies of the current values in fresh variables
   * (e.g. a target network). Later changes to either do not affect the other.
   */
  abstract clone(): Module;

  /** Release every variable's memory. The module must not be used afterwards. */
  dispose(): void {
    for (const variable of this.variables().values()) variable.dispose();
  }
}

/** A module with one input and one output tensor. */
export abstract class Layer extends Module {
  abstract forward(x: tf.Tensor): tf.Tensor;
  abstract override clone(): Layer;
}

/**
 * A variable holding the value `init` computes; the temporary tensor is disposed (tf.variable
 * alone would leave its initial tensor allocated).
 */
export function variableFrom(init: () => tf.Tensor, trainable = true): tf.Variable {
  return tf.tidy(() => tf.variable(init(), trainable));
}

/** Copy a variable's value into a fresh variable with the same trainability. */
export function cloneVariable(variable: tf.Variable): tf.Variable {
  return variableFrom(() => tf.clone(variable), variable.trainable);
}

/** Merge several modules' variables under distinct prefixes (e.g. encoder + model for one loss). */
export function mergeVariables(groups: Record<string, Module>): NamedVariables {
  const out: NamedVariables = new Map();
  for (const [prefix, module] of Object.entries(groups)) {
    for (const [name, variable] of module.variables(prefix)) out.set(name, variable);
  }
  return out;
}

function checkName(name: string): void {
  if (name === '' || name.includes('.')) {
    throw new TypeError(`Module names must be non-empty and contain no '.', got '${name}'`);
  }
}
