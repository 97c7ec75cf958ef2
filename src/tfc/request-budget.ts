// A sliding-window request budget shared by every caller, for endpoints limited per minute.
import type { Clock } from '../util/clock.js'

export interface RequestBudgetOptions {
  /** Most calls that may start within any `windowMs`. */
  limit: number
  windowMs: number
  clock: Clock
  /** Aborts a wait for room. */
  signal?: AbortSignal
}

export interface RequestBudget {
  /** Starts `call` once the window has room; calls start in the order they were scheduled. */
  schedule<T>(call: () => Promise<T>): Promise<T>
}

export function createRequestBudget({
  limit,
  windowMs,
  clock,
  signal
}: RequestBudgetOptions): RequestBudget {
  const starts: number[] = []
  // Admissions are serialized so that concurrent callers cannot both take the last slot.
  let admissions: Promise<void> = Promise.resolve()

  const waitForRoom = async (): Promise<void> => {
    for (;;) {
      const time = clock.now()
      while (starts.length > 0 && starts[0] <= time - windowMs) starts.shift()
      if (starts.length < limit) {
        starts.push(time)
        return
      }
      await clock.sleep(starts[0] + windowMs - time, signal)
    }
  }

  return {
    schedule<T>(call: () => Promise<T>): Promise<T> {
      let started!: Promise<T>
      // The call starts in the same step as its admission, before the next caller is admitted.
      const admitted = admissions.then(async () => {
        await waitForRoom()
        started = call()
      })
      admissions = admitted.catch(() => undefined)
      return admitted.then(() => started)
    }
  }
}
