/**
 * Events wait here between the socket and the commit: a batch is handed out once it
 * holds `maxEvents`, or `maxWaitMs` after its first event arrived, whichever comes
 * first. Many events share one transaction and one cursor save, and none waits long.
 */
export interface BatchLimits {
  maxEvents: number;
  maxWaitMs: number;
}

export const STREAM_BATCH: BatchLimits = { maxEvents: 100, maxWaitMs: 250 };

export class EventBatches<E> {
  readonly #limits: BatchLimits;
  #events: E[] = [];
  /** When the oldest event waiting arrived. */
  #firstAt = 0;
  #wake: (() => void) | null = null;

  constructor(limits: BatchLimits = STREAM_BATCH) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#events.length;
  }

  push(event: E): void {
    if (this.#events.length === 0) this.#firstAt = Date.now();
    this.#events.push(event);
    if (this.#events.length === 1 || this.#events.length >= this.#limits.maxEvents) this.#wake?.();
  }

  /** The next batch; empty when `signal` aborts before one is ready (what is waiting stays for `drain`). */
  async take(signal: AbortSignal): Promise<E[]> {
    while (this.#events.length === 0 && !signal.aborted) await this.#sleep(null, signal);
    for (;;) {
      if (signal.aborted) return [];
      const due = this.#firstAt + this.#limits.maxWaitMs - Date.now();
      if (this.#events.length >= this.#limits.maxEvents || due <= 0) return this.#cut();
      await this.#sleep(due, signal);
    }
  }

  /** Everything still waiting, in batches: the events received before a connection ended. */
  drain(): E[][] {
    const batches: E[][] = [];
    while (this.#events.length > 0) batches.push(this.#cut());
    return batches;
  }

  /** What is left after a cut arrived before it, so its wait is already counting. */
  #cut(): E[] {
    return this.#events.splice(0, this.#limits.maxEvents);
  }

  /** Until an event arrives (or enough of them), `ms` pass, or `signal` aborts. */
  #sleep(ms: number | null, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#wake = null;
        resolve();
      };
      const timer = ms === null ? undefined : setTimeout(done, ms);
      this.#wake = done;
      signal.addEventListener('abort', done);
    });
  }
}
