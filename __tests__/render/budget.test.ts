import { describe, expect, it } from '@jest/globals'
import { NOTE_SLOT, fitChunks, utf16Length, utf8Length } from '../../src/render/budget.js'
import type { Chunk, Shrinkable } from '../../src/render/budget.js'

const diff = (name: string, size: number): Shrinkable => ({
  stage: 'diff',
  full: [`[${name}:${'d'.repeat(size)}]`],
  reduced: [`[${name}]`]
})

const list = (name: string, items: Chunk[]): Shrinkable => ({
  stage: 'list',
  full: [`<${name}>`, ...items],
  reduced: [`<${name}:count>`]
})

describe('fitChunks', () => {
  const chunks: Chunk[] = [
    'head ',
    NOTE_SLOT,
    list('A', [diff('a1', 10), diff('a2', 100)]),
    list('B', [diff('b1', 50)])
  ]
  const full = `head <A>[a1:${'d'.repeat(10)}][a2:${'d'.repeat(100)}]<B>[b1:${'d'.repeat(50)}]`

  it('returns everything, without the note, when it fits', () => {
    expect(fitChunks(chunks, full.length, utf16Length, 'NOTE ')).toBe(full)
  })

  it('drops the largest diffs first and says so in the slot', () => {
    const text = fitChunks(chunks, full.length - 1, utf16Length, 'NOTE ')
    expect(text).toBe(`head NOTE <A>[a1:${'d'.repeat(10)}][a2]<B>[b1:${'d'.repeat(50)}]`)
  })

  it('drops all diffs before reducing any list', () => {
    const noDiffs = 'head NOTE <A>[a1][a2]<B>[b1]'
    expect(fitChunks(chunks, noDiffs.length, utf16Length, 'NOTE ')).toBe(noDiffs)
  })

  it('then reduces the longest lists to their stand-ins', () => {
    const text = fitChunks(chunks, 'head NOTE <A:count><B>[b1]'.length, utf16Length, 'NOTE ')
    expect(text).toBe('head NOTE <A:count><B>[b1]')
  })

  it('measures each part a bounded number of times (linear work)', () => {
    const calls = (n: number): number => {
      let count = 0
      const counting = (text: string): number => {
        count++
        return text.length
      }
      const items = Array.from({ length: n }, (_, i) => diff(`d${i}`, 10 + (i % 7)))
      const text = fitChunks(['head ', NOTE_SLOT, list('L', items)], n * 8, counting, 'NOTE ')
      expect(text).toContain('NOTE')
      return count
    }
    expect(calls(4000)).toBeLessThanOrEqual(4.2 * calls(1000))
  })

  it('gives up when even the reduced document does not fit', () => {
    expect(fitChunks(chunks, 10, utf16Length, 'NOTE ')).toBeUndefined()
  })
})

describe('fitChunks with lazy parts', () => {
  /** A diff rendered only on demand; `rendered` records which were. */
  const lazyDiff = (name: string, size: number, rendered: string[]): Shrinkable => ({
    stage: 'diff',
    full: () => {
      rendered.push(name)
      return [`[${name}:${'d'.repeat(size)}]`]
    },
    reduced: [`[${name}]`]
  })
  const document = (diffs: Shrinkable[]): Chunk[] => ['head ', NOTE_SLOT, list('L', diffs)]

  it('renders every part, and the same text as eager parts, when the document fits', () => {
    const rendered: string[] = []
    const lazy = document([lazyDiff('a', 10, rendered), lazyDiff('b', 20, rendered)])
    const eager = document([diff('a', 10), diff('b', 20)])
    const expected = fitChunks(eager, 1000, utf16Length, 'NOTE ')
    expect(fitChunks(lazy, 1000, utf16Length, 'NOTE ')).toBe(expected)
    expect(rendered).toEqual(['a', 'b'])
  })

  it('renders no diff when the document without any is already too long', () => {
    const rendered: string[] = []
    const diffs = Array.from({ length: 100 }, (_, i) => lazyDiff(`d${i}`, 50, rendered))
    const text = fitChunks(document(diffs), 300, utf16Length, 'NOTE ')
    expect(rendered).toEqual([])
    expect(text).toBe('head NOTE <L:count>')
  })

  it('stops rendering at twice the room the rest leaves, and gives up the rest with a note', () => {
    const rendered: string[] = []
    const diffs = Array.from({ length: 1000 }, (_, i) => lazyDiff(`d${i}`, 100, rendered))
    const limit = 20_000
    const text = fitChunks(document(diffs), limit, utf16Length, 'NOTE ') ?? ''
    expect(text.length).toBeLessThanOrEqual(limit)
    expect(text.startsWith('head NOTE <L>[d0:')).toBe(true)
    // Each rendered diff adds about 100 characters to its stand-in; the rest leaves about 14,000.
    expect(rendered.length).toBeGreaterThan(100)
    expect(rendered.length).toBeLessThan(300)
    // Every stand-in is still there, rendered or not.
    for (const name of ['d0', 'd500', 'd999']) expect(text).toContain(`[${name}`)
    expect(text).toContain('[d999]')
  })

  it('does not let one diff too large to ever fit keep the small ones after it out', () => {
    const rendered: string[] = []
    const diffs = [lazyDiff('huge', 50_000, rendered), lazyDiff('small', 10, rendered)]
    const text = fitChunks(document(diffs), 1000, utf16Length, 'NOTE ')
    expect(rendered).toEqual(['huge', 'small'])
    expect(text).toBe(`head NOTE <L>[huge][small:${'d'.repeat(10)}]`)
  })

  it('drops the largest rendered diffs first, as with eager parts', () => {
    const rendered: string[] = []
    const lazy = document([lazyDiff('a', 10, rendered), lazyDiff('b', 100, rendered)])
    const eager = document([diff('a', 10), diff('b', 100)])
    const limit = 60
    expect(fitChunks(lazy, limit, utf16Length, 'NOTE ')).toBe(
      fitChunks(eager, limit, utf16Length, 'NOTE ')
    )
    expect(fitChunks(lazy, limit, utf16Length, 'NOTE ')).toContain(`[a:${'d'.repeat(10)}][b]`)
  })
})

describe('measures', () => {
  it('counts UTF-16 units and UTF-8 bytes', () => {
    const text = 'aé€😀'
    expect(utf16Length(text)).toBe(5)
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length)
  })
})
