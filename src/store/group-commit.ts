/** The answer for one item of a batch: its value, or its own error. */
export type Settled<R> = { value: R } | { error: unknown };

interface Pending<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: `submit(item)` resolves with that item's own answer, but the items of concurrent callers
 * share one `send` (one round trip to the store or to Redis). A batch leaves at the end of the current turn
 * of the event loop, or — while `maxInFlight` batches are on their way — as soon as one comes back, so an
 * item alone waits for nothing and under load the batches grow by themselves. Nothing resolves before
 * `send` returned for its batch; if `send` throws, every item of that batch is rejected with the error.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly send: (items: T[]) => Promise<Settled<R>[]>,
    private readonly maxBatch = 256,
    private readonly maxInFlight = 2,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight < this.maxInFlight) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Pending<T, R>[]): Promise<void> {
    try {
      const answers = await this.send(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        const a = answers[i];
        if (a && 'value' in a) p.resolve(a.value);
        else p.reject(a ? a.error : new Error('group commit: no answer for an item'));
      });
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
}
