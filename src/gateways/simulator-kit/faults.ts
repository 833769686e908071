/**
 * Faults a test scripts into a simulator. Request faults match by method and a path regex and
 * fire `times` times (default once):
 * - latency: answer normally after `ms`.
 * - error: answer `status` (default 503) with `body` without acting.
 * - drop_before: cut the connection before acting.
 * - hang_after_commit: act (commit), then never answer: the caller sees a timeout.
 * Callback faults shape the next `times` callbacks the simulator sends:
 * - callback_duplicate: deliver `count` copies (default 3).
 * - callback_delay: deliver after `ms`.
 * - callback_drop: never deliver (a lost callback).
 * - callback_hold: keep until POST /__sim/callbacks/flush, then deliver in reverse order (out of order).
 * Gateway-specific faults (e.g. refund_fails_later) use the same book with their own action names.
 */
export interface Fault {
  readonly action: string;
  readonly method?: string;
  /** A regular expression tested against the request path. */
  readonly path?: string;
  readonly times?: number;
  readonly ms?: number;
  readonly status?: number;
  readonly body?: string;
  readonly count?: number;
}

const REQUEST_ACTIONS = new Set(['latency', 'error', 'drop_before', 'hang_after_commit']);

interface Entry {
  readonly id: number;
  readonly fault: Fault;
  remaining: number;
}

export class FaultBook {
  private entries: Entry[] = [];
  private nextId = 1;

  add(fault: Fault): number {
    const id = this.nextId++;
    this.entries.push({ id, fault, remaining: fault.times ?? 1 });
    return id;
  }

  clear(): void {
    this.entries = [];
  }

  takeRequestFault(method: string, path: string): Fault | undefined {
    return this.take(
      (fault) =>
        REQUEST_ACTIONS.has(fault.action) &&
        (!fault.method || fault.method.toUpperCase() === method) &&
        (!fault.path || new RegExp(fault.path).test(path)),
    );
  }

  /** Takes the first fault of one of the given actions (a callback or gateway-specific fault). */
  takeAction(...actions: string[]): Fault | undefined {
    return this.take((fault) => actions.includes(fault.action));
  }

  private take(predicate: (fault: Fault) => boolean): Fault | undefined {
    const entry = this.entries.find(
      (candidate) => candidate.remaining > 0 && predicate(candidate.fault),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    this.entries = this.entries.filter((candidate) => candidate.remaining > 0);
    return entry.fault;
  }
}
