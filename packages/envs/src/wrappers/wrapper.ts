/**
 * Wrapper: an Env around another Env that forwards everything it does not change.
 *
 * A wrapper with its own state (a step counter, running sums) stores it under its `stateKey` in
 * `EnvState.wrappers`, so `getState()` / `setState()` of the outermost env restore every layer.
 */
import type { ActionInput, Env, EnvState, JsonValue, ResetOptions, ResetResult, StepResult } from '../core/env';
import type { Box } from '../core/space';

export abstract class Wrapper implements Env {
  constructor(readonly env: Env) {}

  get id(): string {
    return this.env.id;
  }
  get observationSpace(): Box {
    return this.env.observationSpace;
  }
  get actionSpace(): Box {
    return this.env.actionSpace;
  }
  get dt(): number {
    return this.env.dt;
  }
  get unwrapped(): Env {
    return this.env.unwrapped;
  }

  reset(options?: ResetOptions): ResetResult {
    return this.env.reset(options);
  }

  step(action: ActionInput): StepResult {
    return this.env.step(action);
  }

  getState(): EnvState {
    const inner = this.env.getState();
    const own = this.saveState();
    if (own === undefined) return inner;
    return { ...inner, wrappers: { ...inner.wrappers, [this.stateKey]: own } };
  }

  setState(state: EnvState): void {
    this.env.setState(state);
    const own = state.wrappers?.[this.stateKey];
    this.loadState(own);
  }

  close(): void {
    this.env.close();
  }

  /** Key of this wrapper's entry in `EnvState.wrappers`. */
  protected get stateKey(): string {
    return this.constructor.name;
  }

  /** This wrapper's own state, or undefined if it has none. */
  protected saveState(): JsonValue | undefined {
    return undefined;
  }

  /** Restore this wrapper's own state (`undefined` if the saved state had no entry for it). */
  protected loadState(_state: JsonValue | undefined): void {}
}
