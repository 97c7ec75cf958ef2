// A sliding-window request budget shared by every caller, for endpoints limited per time window.
//
// A call holds its slot from its start until one window after it ended. A server counts a request
// when it arrives, somewhere between the two; counting from the start alone lets requests that
// were slow to leave (a busy event loop, a connection being opened) arrive together with the next
// window's and exceed the limit. Held this way, no window of arrivals can hold more than `limit`.
import type { Clock } from '../util/clock.js'

export interface RequestBudgetOptions {
  /** Most calls that may arrive within any `windowMs`. */
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

interface Slot {
  /** When the call ended; undefined while it runs. */
  endedAt?: number
  ended: Promise<void>
}

export function createRequestBudget({
  limit,
  windowMs,
  clock,
  signal
}: RequestBudgetOptions): RequestBudget {
  let slots: Slot[] = []
  // Admissions are serialized so that concurrent callers cannot both take the last slot.
  let admissions: Promise<void> = Promise.resolve()

  const waitForRoom = async (): Promise<void> => {
    for (;;) {
      const time = clock.now()
      slots = slots.filter(slot => slot.endedAt === undefined || slot.endedAt > time - windowMs)
      if (slots.length < limit) return
      const ends = slots.flatMap(slot => slot.endedAt ?? [])
      if (ends.length > 0) await clock.sleep(Math.min(...ends) + windowMs - time, signal)
      else await Promise.race(slots.map(slot => slot.ended))
    }
  }

  return {
    schedule<T>(call: () => Promise<T>): Promise<T> {
      let started!: Promise<T>
      // The call starts in the same step as its admission, before the next caller is admitted.
      const admitted = admissions.then(async () => {
        await waitForRoom()
        started = call()
        const slot: Slot = { ended: started.then(release, release) }
        slots.push(slot)
        function release(): void {
          slot.endedAt = clock.now()
        }
      })
      admissions = admitted.catch(() => undefined)
      return admitted.then(() => started)
    }
  }
}
