import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseDuration } from '../../src/util/duration.js'

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['1h0m5s', 3_605_000],
    ['600', 600_000],
    [' 15M ', 900_000],
    ['0', 0],
    ['0s', 0]
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['', 'abc', '-5', '5d', '1.5h', '30m1h', '1h 30m', 'm', '10 minutes', '1e3', 's5'])(
    'rejects %j',
    text => {
      expect(parseDuration(text)).toBeUndefined()
    }
  )

  const unit = (value: number | undefined, suffix: string): string =>
    value === undefined ? '' : `${value}${suffix}`

  it('adds up any combination of hours, minutes and seconds', () => {
    const part = fc.option(fc.nat({ max: 10_000 }), { nil: undefined })
    fc.assert(
      fc.property(part, part, part, (hours, minutes, seconds) => {
        fc.pre(hours !== undefined || minutes !== undefined || seconds !== undefined)
        const text = unit(hours, 'h') + unit(minutes, 'm') + unit(seconds, 's')
        const expected = ((hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0)) * 1000
        expect(parseDuration(text)).toBe(expected)
      })
    )
  })
})
