import { describe, expect, it } from '@jest/globals'
import {
  API_REQUESTS_PER_SECOND,
  RUN_LISTS_PER_MINUTE,
  createApiPace
} from '../../src/tfc/api-pace.js'
import { fakeClock } from '../helpers/fake-clock.js'

const API = 'https://app.terraform.io/api/v2'

describe('createApiPace', () => {
  it('starts no more API requests a second than its share of the 30 a second', async () => {
    const clock = fakeClock()
    const pace = createApiPace(clock)
    const starts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        pace.schedule('GET', new URL(`${API}/runs/run-${i}`), async () => clock.now())
      )
    )
    const perSecond = [0, 1000, 2000].map(
      second => starts.filter(time => time >= second && time < second + 1000).length
    )
    expect(API_REQUESTS_PER_SECOND).toBeLessThan(30)
    expect(perSecond).toEqual([API_REQUESTS_PER_SECOND, API_REQUESTS_PER_SECOND, 10])
  })

  it("counts both run lists against one budget a minute, and other requests only a second's", async () => {
    const clock = fakeClock()
    const pace = createApiPace(clock)
    const lists = ['/workspaces/ws-1/runs', '/organizations/acme/runs']
    const listStarts = await Promise.all(
      Array.from({ length: RUN_LISTS_PER_MINUTE + 2 }, (_, i) =>
        pace.schedule('GET', new URL(`${API}${lists[i % 2]}`), async () => clock.now())
      )
    )
    expect(RUN_LISTS_PER_MINUTE).toBeLessThan(30)
    expect(listStarts.filter(time => time < 60_000)).toHaveLength(RUN_LISTS_PER_MINUTE)
    expect(Math.min(...listStarts.slice(RUN_LISTS_PER_MINUTE))).toBeGreaterThanOrEqual(60_000)
    // A run's own document is not a run list: it waits for no minute.
    const before = clock.now()
    await pace.schedule('GET', new URL(`${API}/runs/run-1`), async () => undefined)
    expect(clock.now() - before).toBeLessThan(1000)
  })
})
