import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultBook } from './faults';

export interface CallbackOptions {
  /** Delays before each retry when our endpoint does not answer 2xx (the real gateways retry for days). */
  readonly retryDelaysMs: readonly number[];
  readonly timeoutMs: number;
  /** What counts as acknowledged besides a 2xx (Zaakpay wants the body `SUCCESS`). */
  readonly isAcknowledged: (status: number, body: string) => boolean;
}

export interface OutgoingCallback {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** A label for the log, e.g. the event type. */
  readonly label: string;
}

export interface CallbackAttempt {
  readonly label: string;
  readonly url: string;
  readonly attempt: number;
  readonly status: number | null;
  readonly error?: string;
  readonly at: string;
}

/** Delivers a simulator's callbacks like a gateway: retried on failure, faults applied, all logged. */
export class CallbackDispatcher {
  readonly log: CallbackAttempt[] = [];
  private readonly options: CallbackOptions;
  private readonly inFlight = new Set<Promise<void>>();
  private held: OutgoingCallback[] = [];

  constructor(
    private readonly faults: FaultBook,
    options: Partial<CallbackOptions> = {},
  ) {
    this.options = {
      retryDelaysMs: options.retryDelaysMs ?? [200, 1_000, 3_000],
      timeoutMs: options.timeoutMs ?? 5_000,
      isAcknowledged: options.isAcknowledged ?? ((status) => status >= 200 && status < 300),
    };
  }

  /** Queues a callback (never blocks the simulated API call that caused it). */
  send(callback: OutgoingCallback): void {
    const fault = this.faults.takeAction(
      'callback_duplicate',
      'callback_delay',
      'callback_drop',
      'callback_hold',
    );
    if (fault?.action === 'callback_drop') {
      this.log.push({
        label: callback.label,
        url: callback.url,
        attempt: 0,
        status: null,
        error: 'dropped by fault',
        at: new Date().toISOString(),
      });
      return;
    }
    if (fault?.action === 'callback_hold') {
      this.held.push(callback);
      return;
    }
    const copies = fault?.action === 'callback_duplicate' ? Math.max(1, fault.count ?? 3) : 1;
    const delay = fault?.action === 'callback_delay' ? (fault.ms ?? 1_000) : 0;
    for (let copy = 0; copy < copies; copy++) this.track(this.deliver(callback, delay));
  }

  /** Delivers held callbacks, newest first, so they arrive out of order. */
  async releaseHeld(): Promise<void> {
    const held = this.held.reverse();
    this.held = [];
    for (const callback of held) await this.deliver(callback, 0);
  }

  /** Waits for every callback in flight (tests call this instead of sleeping). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  reset(): void {
    this.log.length = 0;
    this.held = [];
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async deliver(callback: OutgoingCallback, delayMs: number): Promise<void> {
    if (delayMs > 0) await sleep(delayMs);
    const delays = [0, ...this.options.retryDelaysMs];
    for (let attempt = 1; attempt <= delays.length; attempt++) {
      if (delays[attempt - 1] > 0) await sleep(delays[attempt - 1]);
      try {
        const response = await fetch(callback.url, {
          method: 'POST',
          headers: callback.headers,
          body: callback.body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        const body = await response.text();
        this.log.push({
          label: callback.label,
          url: callback.url,
          attempt,
          status: response.status,
          at: new Date().toISOString(),
        });
        if (this.options.isAcknowledged(response.status, body)) return;
      } catch (error) {
        this.log.push({
          label: callback.label,
          url: callback.url,
          attempt,
          status: null,
          error: String(error),
          at: new Date().toISOString(),
        });
      }
    }
  }
}
