/**
 * SIGINT / SIGTERM / SIGHUP (a closed terminal or SSH session) as a request, not an abort: the
 * loop finishes the current step, writes a checkpoint and returns. A second signal while that
 * happens exits at once (code 130).
 */
export interface ShutdownRequest {
  readonly requested: boolean;
  /** The signal that asked, if any. */
  readonly signal: NodeJS.Signals | undefined;
  dispose(): void;
}

export function listenForShutdown(
  signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'],
): ShutdownRequest {
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (received !== undefined) process.exit(130);
    received = signal;
  };
  for (const s of signals) process.on(s, handler);
  return {
    get requested() {
      return received !== undefined;
    },
    get signal() {
      return received;
    },
    dispose() {
      for (const s of signals) process.off(s, handler);
    },
  };
}

/** A request that never fires (tests, library use without signal handling). */
export const NEVER_SHUTDOWN: ShutdownRequest = { requested: false, signal: undefined, dispose() {} };
