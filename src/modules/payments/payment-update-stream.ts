const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * The async iterator behind one `paymentUpdated` subscription: a first read, then a fresh read
 * after each update signal. Signals that arrive before the consumer asks again collapse into one,
 * so a slow client costs one read per delivery, never a growing queue. `return()` ends it at once,
 * even while the consumer waits (an async generator would only notice at the next signal), and
 * releases the listener; so does a failed read, after which the stream is over.
 */
export class PaymentUpdateStream<T> implements AsyncIterableIterator<T, undefined> {
  // Owed reads: the first one, and one after any signal since the last read began.
  private signalled = true;
  private finished = false;
  private first: { readonly value: T } | undefined;
  private readonly wakers = new Set<() => void>();
  private release: () => void = () => undefined;

  constructor(private readonly read: () => Promise<T>) {}

  /** Ties the stream to its listener: closing the stream removes it. */
  onClose(release: () => void): void {
    if (this.finished) release();
    else this.release = release;
  }

  /** Reads the first value now, so that a failure (NOT_FOUND) surfaces before anything streams. */
  async start(): Promise<void> {
    this.signalled = false;
    try {
      this.first = { value: await this.read() };
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Something changed: the next value will be read afresh. */
  signal(): void {
    if (this.finished) return;
    this.signalled = true;
    this.wake();
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    if (this.first && !this.finished) {
      const { value } = this.first;
      this.first = undefined;
      return { value, done: false };
    }
    while (!this.finished && !this.signalled) {
      await new Promise<void>((resolve) => this.wakers.add(resolve));
    }
    if (this.finished) return DONE;
    // Cleared before reading: a signal during the read means the read may predate the change.
    this.signalled = false;
    let value: T;
    try {
      value = await this.read();
    } catch (error) {
      this.close();
      throw error;
    }
    return this.finished ? DONE : { value, done: false };
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    this.close();
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<T, undefined>> {
    this.close();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    if (this.finished) return;
    this.finished = true;
    this.release();
    this.wake();
  }

  private wake(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const wake of wakers) wake();
  }
}
