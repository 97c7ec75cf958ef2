import { describe, expect, it } from '@jest/globals'
import { compareDecimals, isDecimal, sumDecimals } from '../../src/run/decimal.js'

describe('sumDecimals', () => {
  it.each([
    [['0.1', '0.2'], '0.3'],
    [['25.488', '-3.5'], '21.988'],
    [['-0.25', '0.25'], '0.00'],
    [['-1.5', '0.25'], '-1.25'],
    [['-0.001'], '-0.001'],
    [['1234567890123456789.01', '0.99'], '1234567890123456790.00'],
    [['+7', '3'], '10'],
    [[], '0']
  ])('%j sums to %s', (terms, sum) => {
    expect(sumDecimals(terms)).toBe(sum)
  })

  it('agrees with integer arithmetic on cents for many random terms', () => {
    const cents = Array.from({ length: 500 }, (_, i) => ((i * 7919) % 20011) - 10000)
    const terms = cents.map(
      c =>
        `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`
    )
    const total = cents.reduce((a, b) => a + b, 0)
    expect(sumDecimals(terms)).toBe(
      `${total < 0 ? '-' : ''}${Math.floor(Math.abs(total) / 100)}.${String(Math.abs(total) % 100).padStart(2, '0')}`
    )
  })

  it('rejects what is not a decimal string', () => {
    expect(() => sumDecimals(['1e3'])).toThrow('"1e3" is not a decimal number.')
    expect(isDecimal('12.50')).toBe(true)
    expect(isDecimal('12.')).toBe(false)
    expect(isDecimal('NaN')).toBe(false)
  })
})

describe('compareDecimals', () => {
  it.each([
    ['0.30', '0.3', 0],
    ['100.001', '100', 1],
    ['-5', '0', -1],
    ['99.999', '100', -1],
    ['10000000000000000000.01', '10000000000000000000.001', 1]
  ])('%s vs %s is %i', (a, b, sign) => {
    expect(compareDecimals(a, b)).toBe(sign)
  })
})
