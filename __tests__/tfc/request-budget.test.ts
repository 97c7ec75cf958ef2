import { describe, expect, it } from '@jest/globals'
import { createRequestBudget } from '../../src/tfc/request-budget.js'
import { fakeClock } from '../helpers/fake-clock.js'

describe('createRequestBudget', () => {
  it('starts at most `limit` calls per window, in the order they were scheduled', async () => {
    const clock = fakeClock()
    const budget = createRequestBudget({ limit: 5, windowMs: 1000, clock })
    const starts: [number, number][] = []
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        budget.schedule(async () => {
          starts.push([i, clock.now()])
        })
      )
    )
    expect(starts.map(([i]) => i)).toEqual(Array.from({ length: 12 }, (_, i) => i))
    expect(starts.map(([, time]) => time)).toEqual([
      0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 2000, 2000
    ])
  })

  it('frees a slot exactly one window after its call ended', async () => {
    const clock = fakeClock()
    const budget = createRequestBudget({ limit: 2, windowMs: 60_000, clock })
    await budget.schedule(async () => undefined)
    await clock.sleep(45_000)
    await budget.schedule(async () => undefined)
    await budget.schedule(async () => undefined)
    expect(clock.now()).toBe(60_000)
  })

  it('holds the slot of a slow call until one window after it answered', async () => {
    const clock = fakeClock()
    const budget = createRequestBudget({ limit: 1, windowMs: 1000, clock })
    await budget.schedule(async () => {
      clock.advance(700)
    })
    await budget.schedule(async () => undefined)
    expect(clock.now()).toBe(1700)
  })

  it('passes results and failures through without blocking later calls', async () => {
    const budget = createRequestBudget({ limit: 1, windowMs: 10, clock: fakeClock() })
    const failing = budget.schedule(async () => {
      throw new Error('boom')
    })
    const next = budget.schedule(async () => 'ok')
    await expect(failing).rejects.toThrow('boom')
    await expect(next).resolves.toBe('ok')
  })
})
