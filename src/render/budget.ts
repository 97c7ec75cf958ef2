// Fits a document into a size limit by giving up whole parts for shorter stand-ins, never by
// cutting text: first the largest attribute diffs (their headlines stay), then all of them, then
// the longest resource lists (counts per action stay). Diffs are rendered lazily and only while
// they may be kept (see renderWithin): a plan of 50,000 resources must not render 50,000 diffs to
// keep a few hundred. Linear in the size of what is rendered, plus a sort of the shrinkable parts.

/** A part that can be replaced by a shorter stand-in when the document is too long. */
export interface Shrinkable {
  /** 'diff' parts are given up first, 'list' parts only once every diff is gone. */
  stage: 'diff' | 'list'
  /** The part in full, or a function that renders it, called only when the budget may keep it. */
  full: Chunk[] | (() => Chunk[])
  reduced: Chunk[]
}

/** Where the "this was shortened" note goes, if the document had to be shortened. */
export const NOTE_SLOT: unique symbol = Symbol('note')

export type Chunk = string | Shrinkable | typeof NOTE_SLOT

export type Measure = (text: string) => number

/** Characters as GitHub counts a comment's length (UTF-16 code units, like JS `.length`). */
export const utf16Length: Measure = text => text.length

/**
 * Bytes in UTF-8, as the step summary's limit counts them: as the file is written, where a lone
 * surrogate becomes U+FFFD (3 bytes).
 */
export const utf8Length: Measure = text => Buffer.byteLength(text, 'utf8')

/**
 * The document within `limit`, shortened as little as possible with `note` in its slot when it had
 * to be shortened; undefined when even every list reduced to its stand-in does not fit. Lazy parts
 * left unrendered count as given up.
 */
export function fitChunks(
  chunks: Chunk[],
  limit: number,
  measure: Measure,
  note: string
): string | undefined {
  const { rendered, unrendered } = renderWithin(chunks, limit, measure)
  // Unrendered parts have no full form: they start, and stay, reduced.
  const fullOf = (part: Shrinkable): Chunk[] =>
    Array.isArray(part.full) ? part.full : (rendered.get(part) ?? [])
  const reduced = new Set<Shrinkable>(unrendered)
  const sizeOf = (parts: Chunk[]): number =>
    parts.reduce<number>((sum, part) => {
      if (typeof part === 'string') return sum + measure(part)
      if (part === NOTE_SLOT) return sum
      return sum + sizeOf(reduced.has(part) ? part.reduced : fullOf(part))
    }, 0)

  let size = sizeOf(chunks)
  if (size <= limit && unrendered.size === 0) return flatten(chunks, reduced, fullOf, '')

  const room = limit - measure(note)
  for (const stage of ['diff', 'list'] as const) {
    const parts = collect(chunks, stage, fullOf).filter(part => !unrendered.has(part))
    if (stage === 'list') {
      // Lists are only shortened once no diff is left.
      for (const part of collect(chunks, 'diff', fullOf)) reduced.add(part)
      size = sizeOf(chunks)
    }
    const savings = new Map(parts.map(part => [part, sizeOf(fullOf(part)) - sizeOf(part.reduced)]))
    // Of equally large parts the later go first, so the document keeps its beginning.
    const largestFirst = parts
      .filter(part => (savings.get(part) ?? 0) > 0)
      .reverse()
      .sort((a, b) => (savings.get(b) ?? 0) - (savings.get(a) ?? 0))
    for (const part of largestFirst) {
      if (size <= room) break
      reduced.add(part)
      size -= savings.get(part) ?? 0
    }
    if (size <= room) {
      const text = flatten(chunks, reduced, fullOf, note)
      return measure(text) <= limit ? text : undefined
    }
  }
  return undefined
}

/** Lazy parts are rendered until they take this many times the room the rest leaves them. */
const RENDER_BOUND = 2

/**
 * Renders lazy parts in document order, but only while they may be kept. The room for them is
 * what the document leaves with every diff and every lazy part at its stand-in; when there is none,
 * every diff is given up anyway (lists are shortened only once no diff is left), so none is
 * rendered. Otherwise parts are rendered until they take twice that room, each counting at most
 * the room itself (more of it could never be kept), so that one huge diff does not keep the small
 * ones after it out. A document that fits is rendered in full.
 */
function renderWithin(
  chunks: Chunk[],
  limit: number,
  measure: Measure
): { rendered: Map<Shrinkable, Chunk[]>; unrendered: Set<Shrinkable> } {
  const rendered = new Map<Shrinkable, Chunk[]>()
  const unrendered = new Set<Shrinkable>()
  const standInSize = (parts: Chunk[]): number => {
    let sum = 0
    for (const part of parts) {
      if (typeof part === 'string') sum += measure(part)
      else if (part === NOTE_SLOT) continue
      else if (part.stage === 'diff' || !Array.isArray(part.full)) sum += standInSize(part.reduced)
      else sum += standInSize(part.full)
    }
    return sum
  }
  const room = limit - standInSize(chunks)
  let taken = 0
  const visit = (parts: Chunk[]): void => {
    for (const part of parts) {
      if (typeof part === 'string' || part === NOTE_SLOT) continue
      if (Array.isArray(part.full)) {
        visit(part.full)
      } else if (room > 0 && taken <= RENDER_BOUND * room) {
        const full = part.full()
        rendered.set(part, full)
        taken += Math.min(standInSize(full) - standInSize(part.reduced), room)
        visit(full)
      } else {
        unrendered.add(part)
      }
      visit(part.reduced)
    }
  }
  visit(chunks)
  return { rendered, unrendered }
}

function collect(
  chunks: Chunk[],
  stage: Shrinkable['stage'],
  fullOf: (part: Shrinkable) => Chunk[]
): Shrinkable[] {
  const found: Shrinkable[] = []
  const visit = (parts: Chunk[]): void => {
    for (const part of parts) {
      if (typeof part === 'string' || part === NOTE_SLOT) continue
      if (part.stage === stage) found.push(part)
      visit(fullOf(part))
      visit(part.reduced)
    }
  }
  visit(chunks)
  return found
}

function flatten(
  chunks: Chunk[],
  reduced: ReadonlySet<Shrinkable>,
  fullOf: (part: Shrinkable) => Chunk[],
  note: string
): string {
  const out: string[] = []
  const visit = (parts: Chunk[]): void => {
    for (const part of parts) {
      if (typeof part === 'string') out.push(part)
      else if (part === NOTE_SLOT) out.push(note)
      else visit(reduced.has(part) ? part.reduced : fullOf(part))
    }
  }
  visit(chunks)
  return out.join('')
}
