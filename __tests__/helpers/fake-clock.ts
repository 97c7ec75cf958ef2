import type { Clock } from '../../src/util/clock.js'

export interface FakeClock extends Clock {
  /** Every pause asked for, in order. */
  readonly sleeps: number[]
  /** Moves time on without a pause (e.g. a poll that takes time). */
  advance(ms: number): void
}

/** A clock that moves only when the code under test sleeps or a test advances it. */
export function fakeClock(start = 0): FakeClock {
  let time = start
  const sleeps: number[] = []
  return {
    now: () => time,
    sleep: async ms => {
      sleeps.push(ms)
      time += ms
    },
    advance: ms => {
      time += ms
    },
    sleeps
  }
}
