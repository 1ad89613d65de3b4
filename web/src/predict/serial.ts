/**
 * Runs async jobs one after another. tfjs has one active backend per page, so predictions and
 * backend measurements must never interleave.
 */
export function createSerial() {
  let tail: Promise<unknown> = Promise.resolve();
  return function serial<T>(job: () => Promise<T>): Promise<T> {
    const next = tail.then(job, job);
    tail = next.catch(() => undefined);
    return next;
  };
}
