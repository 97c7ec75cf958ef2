import { describe, expect, it } from '@jest/globals'
import { utf16Length } from '../../src/render/budget.js'
import { splitMarkdown } from '../../src/render/split.js'

/** `count` resources as the report shows them: a details block around a fenced diff each. */
function resources(count: number, diffLines = 3): string {
  return Array.from({ length: count }, (_, i) =>
    [
      `<details><summary>resource ${i}</summary>`,
      '',
      '```diff',
      ...Array.from({ length: diffLines }, (_, k) => `~ attribute_${k} = "old ${i}" -> "new ${i}"`),
      '```',
      '',
      '</details>',
      ''
    ].join('\n')
  ).join('\n')
}

/** The lines a part adds to what it carries: closers, and openers of what continues. */
function withoutContinuations(part: string): string[] {
  return part.split('\n').filter(line => !line.includes('(continued)'))
}

function balanced(part: string): void {
  const lines = part.split('\n')
  expect(lines.filter(line => line.startsWith('<details')).length).toBe(
    lines.filter(line => line === '</details>').length
  )
  expect(lines.filter(line => line.startsWith('```')).length % 2).toBe(0)
}

describe('splitMarkdown', () => {
  it('keeps a document that fits in one part as it is', () => {
    const doc = resources(3)
    expect(splitMarkdown(doc, 10_000, utf16Length)).toEqual([`${doc.replace(/\n+$/, '')}\n`])
  })

  it.each([400, 1000, 3000])(
    'cuts at blank lines between blocks into balanced parts of at most %i characters',
    limit => {
      const doc = `## Plan\n\n${resources(40)}`
      const parts = splitMarkdown(doc, limit, utf16Length)
      expect(parts.length).toBeGreaterThan(1)
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(limit)
        balanced(part)
      }
      // Every line of the document is carried once, in order.
      const carried = parts.flatMap(part =>
        withoutContinuations(part).filter(line => line.startsWith('~ attribute_'))
      )
      expect(carried).toEqual(doc.split('\n').filter(line => line.startsWith('~ attribute_')))
    }
  )

  it('never cuts inside a details block when a cut between blocks is at hand', () => {
    const parts = splitMarkdown(resources(30), 1500, utf16Length)
    for (const part of parts) expect(part).not.toContain('(continued)')
    expect(parts.join('')).toBe(`${resources(30).replace(/\n+$/, '')}\n`)
  })

  it('cuts inside a block longer than a part, closing and reopening the code block and details', () => {
    const doc = resources(1, 200)
    const parts = splitMarkdown(doc, 2000, utf16Length)
    expect(parts.length).toBeGreaterThan(2)
    for (const [index, part] of parts.entries()) {
      expect(part.length).toBeLessThanOrEqual(2000)
      balanced(part)
      if (index > 0) {
        expect(
          part.startsWith('<details><summary>resource 0 (continued)</summary>\n```diff\n')
        ).toBe(true)
      }
    }
    const attributes = parts.flatMap(part =>
      withoutContinuations(part).filter(line => line.startsWith('~ attribute_'))
    )
    expect(attributes).toHaveLength(200)
  })
})
