// Bounded concurrency: many runs are awaited at once, but only a few requests are in flight.

/**
 * Calls `fn` for every item with at most `limit` calls pending at a time. Results keep the order
 * of `items`; a failing call does not stop the others.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length)
  let nextIndex = 0
  const worker = async (): Promise<void> => {
    while (nextIndex < items.length) {
      const index = nextIndex++
      try {
        results[index] = { status: 'fulfilled', value: await fn(items[index], index) }
      } catch (reason) {
        results[index] = { status: 'rejected', reason }
      }
    }
  }
  const workers = Math.max(1, Math.min(Math.floor(limit), items.length))
  await Promise.all(Array.from({ length: workers }, worker))
  return results
}

/** Runs the calls given to it with at most `limit` pending at a time, in the order they came. */
export function createLimiter(limit: number): <R>(call: () => Promise<R>) => Promise<R> {
  let active = 0
  const queued: (() => void)[] = []
  return async call => {
    if (active >= limit) await new Promise<void>(resolve => queued.push(resolve))
    active++
    try {
      return await call()
    } finally {
      active--
      queued.shift()?.()
    }
  }
}
