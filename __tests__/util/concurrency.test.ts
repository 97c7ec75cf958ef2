import { describe, expect, it } from '@jest/globals'
import { setTimeout as delay } from 'node:timers/promises'
import { createLimiter, mapConcurrent } from '../../src/util/concurrency.js'

describe('mapConcurrent', () => {
  it('runs at most `limit` calls at once and keeps the input order', async () => {
    let running = 0
    let most = 0
    const items = [30, 5, 20, 1, 15, 10, 2]
    const results = await mapConcurrent(items, 3, async (ms, index) => {
      running++
      most = Math.max(most, running)
      await delay(ms)
      running--
      return `${index}:${ms}`
    })
    expect(most).toBe(3)
    expect(results).toEqual(items.map((ms, i) => ({ status: 'fulfilled', value: `${i}:${ms}` })))
  })

  it('settles every item even when some calls fail', async () => {
    const calls: number[] = []
    const results = await mapConcurrent([1, 2, 3, 4], 2, async n => {
      calls.push(n)
      if (n % 2 === 0) throw new Error(`no ${n}`)
      return n * 10
    })
    expect(calls.sort()).toEqual([1, 2, 3, 4])
    expect(
      results.map(r => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))
    ).toEqual([10, 'no 2', 30, 'no 4'])
  })

  it('handles no items and limits above the item count', async () => {
    expect(await mapConcurrent([], 4, async () => 1)).toEqual([])
    const results = await mapConcurrent(['a'], 10, async item => item.toUpperCase())
    expect(results).toEqual([{ status: 'fulfilled', value: 'A' }])
  })
})

describe('createLimiter', () => {
  it('runs at most `limit` calls at a time, in the order they came, past failures', async () => {
    const limit = createLimiter(2)
    let running = 0
    let most = 0
    const order: number[] = []
    const settled = await Promise.allSettled(
      [30, 5, 5, 5, 5].map((ms, index) =>
        limit(async () => {
          running++
          most = Math.max(most, running)
          order.push(index)
          await delay(ms)
          running--
          if (index === 1) throw new Error('boom')
          return index
        })
      )
    )
    expect(most).toBe(2)
    expect(order).toEqual([0, 1, 2, 3, 4])
    expect(settled.map(s => s.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled'
    ])
  })
})
