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

describe('measures', () => {
  it('counts UTF-16 units and UTF-8 bytes', () => {
    const text = 'aé€😀'
    expect(utf16Length(text)).toBe(5)
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length)
  })
})
