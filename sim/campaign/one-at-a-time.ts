/**
 * Runs in this process go one at a time: runs interleaved in one process would share a
 * transport's globals (page-globals.ts). A campaign's own runs on the main thread and its reruns
 * of failures reported by worker threads queue here together.
 */
export class OneAtATime {
  private last: Promise<unknown> = Promise.resolve();

  /** Starts `work` once everything queued before it has settled; a failure does not stop the queue. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.last.then(work);
    this.last = next.catch(() => undefined);
    return next;
  }
}
