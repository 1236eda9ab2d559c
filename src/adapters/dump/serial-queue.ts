/**
 * Runs tasks one after another, in the order they were queued: the writes of every sink of one
 * file writer go through one queue, so batches land in the file in order. After a failure every
 * later task fails too (the output is discarded anyway).
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve()
  private failure: unknown

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      if (this.failure !== undefined) throw this.failure
      return task()
    })
    this.tail = result.then(() => undefined, (error: unknown) => {
      this.failure ??= error
    })
    return result
  }

  /** Waits for everything queued so far. */
  async idle(): Promise<void> {
    await this.tail
    if (this.failure !== undefined) throw this.failure
  }
}
