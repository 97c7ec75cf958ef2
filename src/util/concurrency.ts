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
  const limited = createLimiter(limit)
  return Promise.allSettled(items.map((item, index) => limited(() => fn(item, index))))
}

/** Runs the calls given to it with at most `limit` pending at a time, in the order they came. */
export function createLimiter(limit: number): <R>(call: () => Promise<R>) => Promise<R> {
  const most = Math.max(1, Math.floor(limit))
  let active = 0
  const queued: (() => void)[] = []
  return async call => {
    // A finished call hands its slot straight to the next in line: `active` only counts slots.
    if (active >= most) await new Promise<void>(resolve => queued.push(resolve))
    else active++
    try {
      return await call()
    } finally {
      const next = queued.shift()
      if (next) next()
      else active--
    }
  }
}
