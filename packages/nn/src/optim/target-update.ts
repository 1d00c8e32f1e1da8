/**
 * Target networks: Polyak averaging target <- tau * online + (1 - tau) * target, and the hard copy
 * (tau = 1) used at initialisation. Variables are matched by name, so both networks must have the
 * same structure (make the target with `online.clone()`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { VariableMismatchError } from '../errors';
import { POLYAK_KERNEL, backendHasKernel, type PolyakAttrs } from '../kernel-names';
import { namedSelection, type VariableSelection } from './selection';

/**
 * target <- tau * online + (1 - tau) * target, for every named variable; one native kernel per
 * variable where the backend has it (the same float32 arithmetic), otherwise tfjs's ops.
 */
export function softUpdate(target: VariableSelection, online: VariableSelection, tau: number): void {
  if (!(tau >= 0 && tau <= 1)) throw new RangeError(`softUpdate: tau must be in [0, 1], got ${tau}`);
  const native = backendHasKernel(POLYAK_KERNEL);
  const attrs: PolyakAttrs = { tau };
  for (const [targetVariable, onlineVariable] of matchByName(target, online)) {
    tf.tidy(() =>
      targetVariable.assign(
        native && targetVariable.dtype === 'float32'
          ? (tf
              .engine()
              .runKernel(
                POLYAK_KERNEL,
                { target: targetVariable, online: onlineVariable },
                attrs as unknown as tf.NamedAttrMap,
              ) as tf.Tensor)
          : tf.add(tf.mul(onlineVariable, tau), tf.mul(targetVariable, 1 - tau)),
      ),
    );
  }
}

/** target <- online, for every named variable. */
export function hardUpdate(target: VariableSelection, online: VariableSelection): void {
  for (const [targetVariable, onlineVariable] of matchByName(target, online))
    targetVariable.assign(onlineVariable);
}

function matchByName(
  target: VariableSelection,
  online: VariableSelection,
): Array<[tf.Variable, tf.Variable]> {
  const targets = namedSelection(target);
  const onlines = namedSelection(online);
  const missing = [...onlines.keys()].filter((name) => !targets.has(name));
  const extra = [...targets.keys()].filter((name) => !onlines.has(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new VariableMismatchError(
      `target and online networks differ (missing in target: [${missing.join(', ')}], extra in target: [${extra.join(', ')}]); build the target with online.clone()`,
    );
  }
  return [...onlines].map(([name, onlineVariable]) => {
    const targetVariable = targets.get(name) as tf.Variable;
    if (targetVariable.shape.join(',') !== onlineVariable.shape.join(',')) {
      throw new VariableMismatchError(
        `'${name}' has shape [${targetVariable.shape}] in the target, [${onlineVariable.shape}] online`,
      );
    }
    return [targetVariable, onlineVariable];
  });
}
