import { describe, expect, it } from '@jest/globals'
import {
  MASKED,
  compileMasks,
  createMasker,
  hasSlowRepetition,
  maskText
} from '../../src/util/mask.js'

const masker = (...sources: string[]) =>
  createMasker(sources.map(source => new RegExp(source, 'g')))

describe('compileMasks', () => {
  it('compiles one expression per non-blank line', () => {
    const { patterns, problems } = compileMasks('tok-[a-z0-9]+\n\n  AKIA[A-Z0-9]{16}  \n')
    expect(problems).toEqual([])
    expect(patterns.map(pattern => pattern.source)).toEqual(['tok-[a-z0-9]+', 'AKIA[A-Z0-9]{16}'])
  })

  it('names the line of each invalid, empty-matching or catastrophic expression', () => {
    const { patterns, problems } = compileMasks('ok-[0-9]+\n(unclosed\nx*\n(a+)+$')
    expect(patterns).toHaveLength(1)
    expect(problems).toEqual([
      expect.stringMatching(/^Input `mask` line 2 .*not a valid regular expression/),
      expect.stringMatching(/^Input `mask` line 3 .*matches the empty string/),
      expect.stringMatching(/^Input `mask` line 4 .*unbounded repetitions/)
    ])
  })
})

describe('hasSlowRepetition', () => {
  it.each([
    '(a+)+',
    '(a*)*',
    '(\\d+x)*',
    '((ab+))+',
    '(?:a{2,})+',
    '([a-z]+\\.)+com',
    'a+a+b',
    '.*.*=x',
    '\\w+b*c'
  ])('flags %s', source => expect(hasSlowRepetition(source)).toBe(true))
  it.each([
    'a+b+',
    'tok-[a-z]+-[0-9]+',
    '(ab)+',
    '[(a+)]+',
    '\\(a+\\)+',
    'tok-[a-z]{32}',
    '(a|b)c+',
    '(?<name>a+)b',
    'a+|b+',
    'a?b+'
  ])('accepts %s', source => expect(hasSlowRepetition(source)).toBe(false))
})

describe('maskText', () => {
  it('replaces every match and remembers what it found', () => {
    const m = masker('tok-[a-z0-9]+', 'AKIA[A-Z]{4}')
    expect(maskText('a tok-abc1 b tok-zz AKIAQQQQ', m)).toBe(`a ${MASKED} b ${MASKED} ${MASKED}`)
    expect([...m.found].sort()).toEqual(['AKIAQQQQ', 'tok-abc1', 'tok-zz'])
  })

  it('joins overlapping matches of several expressions into one', () => {
    expect(maskText('xx secret-value yy', masker('secret-\\w+', 'value yy'))).toBe(`xx ${MASKED}`)
  })

  it('leaves text alone without expressions', () => {
    expect(maskText('tok-abc', undefined)).toBe('tok-abc')
    expect(maskText('tok-abc', createMasker([]))).toBe('tok-abc')
  })

  it('finds matches anywhere in long text, also across the windows it searches', () => {
    const secret = 'tok-' + 'q'.repeat(600)
    for (const at of [0, 3000, 4090, 10_000, 19_000]) {
      const text = 'x'.repeat(at) + ' ' + secret + ' ' + 'y'.repeat(20_000 - at)
      const out = maskText(text, masker('tok-q+'))
      expect(out).not.toContain('tok-')
      expect(out).toContain(` ${MASKED} `)
      expect(out.length).toBe(text.length - secret.length + MASKED.length)
    }
  })

  it('searches long text in bounded time with a slow expression', () => {
    // Quadratic on the whole text (10^10 steps); on windows of a few KB, well under a second.
    const text = 'a'.repeat(100_000) + '!'
    const started = process.cpuUsage()
    maskText(text, masker('a+b'))
    const { user } = process.cpuUsage(started)
    expect(user / 1000).toBeLessThan(3000)
  })
})
