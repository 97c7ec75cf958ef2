// The `mask` input: regular expressions whose matches must never be shown. Compiled once with the
// settings; applied to every string the renderers print (see render/markdown.ts) and to the step
// outputs. Each match becomes `(masked)`, and is remembered so the runner can hide it in the log.

export const MASKED = '(masked)'

/** The compiled expressions, and the literal values they matched so far. */
export interface Masker {
  readonly patterns: readonly RegExp[]
  readonly found: Set<string>
}

/**
 * Long text is searched in windows of this many characters, overlapping by WINDOW_OVERLAP, so one
 * match attempt never sees more than a window: a slow expression stays slow on a window, not on a
 * whole plan. Any match of up to WINDOW_OVERLAP characters lies whole within some window.
 */
const WINDOW = 4096
const WINDOW_OVERLAP = 1024

export function createMasker(patterns: readonly RegExp[]): Masker {
  return { patterns, found: new Set() }
}

/**
 * One expression per non-blank line, as a global RegExp; a problem (one line each) for a line that
 * is not a valid expression, matches the empty string, or backtracks slowly (see hasSlowRepetition).
 */
export function compileMasks(text: string): { patterns: RegExp[]; problems: string[] } {
  const patterns: RegExp[] = []
  const problems: string[] = []
  for (const [index, line] of text.split(/\r\n|\r|\n/).entries()) {
    const source = line.trim()
    if (source === '') continue
    const where = `Input \`mask\` line ${index + 1} (${JSON.stringify(source.slice(0, 80))})`
    let pattern: RegExp
    try {
      pattern = new RegExp(source, 'g')
    } catch (error) {
      problems.push(`${where} is not a valid regular expression: ${(error as Error).message}.`)
      continue
    }
    if (new RegExp(source).test('')) {
      problems.push(`${where} matches the empty string: use a pattern that matches a value.`)
    } else if (hasSlowRepetition(source)) {
      problems.push(
        `${where} nests or chains unbounded repetitions (like (a+)+ or a+a+), which can take ` +
          'minutes on text that almost matches: repeat one character class, e.g. tok-[A-Za-z0-9]+.'
      )
    } else {
      patterns.push(pattern)
    }
  }
  return { patterns, problems }
}

/** `text` with every match of the masker's patterns replaced by `(masked)`. */
export function maskText(text: string, masker: Masker | undefined): string {
  if (masker === undefined || masker.patterns.length === 0 || text === '') return text
  const ranges: [number, number][] = []
  for (let start = 0; ; start += WINDOW - WINDOW_OVERLAP) {
    const window = text.slice(start, start + WINDOW)
    for (const pattern of masker.patterns) {
      pattern.lastIndex = 0
      for (let match = pattern.exec(window); match; match = pattern.exec(window)) {
        if (match[0] === '') {
          pattern.lastIndex++
          continue
        }
        ranges.push([start + match.index, start + match.index + match[0].length])
      }
    }
    if (start + WINDOW >= text.length) break
  }
  if (ranges.length === 0) return text
  let masked = ''
  let copied = 0
  for (const [from, to] of mergeRanges(ranges)) {
    masker.found.add(text.slice(from, to))
    masked += text.slice(copied, from) + MASKED
    copied = to
  }
  return masked + text.slice(copied)
}

/** Sorted, with overlapping and touching ranges joined. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const merged: [number, number][] = []
  for (const [from, to] of sorted) {
    const last = merged.at(-1)
    if (last && from <= last[1]) last[1] = Math.max(last[1], to)
    else merged.push([from, to])
  }
  return merged
}

/**
 * Whether the expression has the shapes that make backtracking explode on text that almost
 * matches: a repeated group that repeats inside (`(a+)+`, exponential) or two unbounded
 * repetitions in a row that may match the same characters (`a+a+b`, `.*.*x`: polynomial,
 * minutes on a few KB). A heuristic, not a
 * proof: it reads escapes, classes and group prefixes, and errs towards accepting.
 */
export function hasSlowRepetition(source: string): boolean {
  const levels: Level[] = [newLevel()]
  let i = 0
  while (i < source.length) {
    const level = levels[levels.length - 1]
    const char = source[i]
    if (char === '(') {
      levels.push(newLevel())
      i = afterGroupPrefix(source, i + 1)
      continue
    }
    if (char === '|') {
      level.previousUnbounded = undefined
      i++
      continue
    }
    let end: number
    let atom = WIDE
    let repeatsInside = false
    let outer = level
    if (char === ')') {
      const inner = levels.length > 1 ? levels.pop() : undefined
      repeatsInside = inner?.repeats ?? false
      outer = levels[levels.length - 1]
      end = i + 1
    } else if (char === '[') {
      end = endOfClass(source, i + 1)
    } else if (char === '\\') {
      end = i + 2
      // `\.` is a literal dot; `\w`, `\d`, `\p{…}` and the like match many characters.
      if (!/[A-Za-z0-9]/.test(source[i + 1] ?? '')) atom = source[i + 1]
    } else {
      end = i + 1
      if (char !== '.') atom = char
    }
    const unbounded = unboundedQuantifierAt(source, end)
    if (unbounded > 0) {
      const previous = outer.previousUnbounded
      if (repeatsInside || (previous !== undefined && mayOverlap(previous, atom))) return true
      outer.previousUnbounded = atom
      outer.repeats = true
      i = end + unbounded
    } else {
      outer.previousUnbounded = undefined
      if (repeatsInside) outer.repeats = true
      i = end + boundedQuantifierAt(source, end)
    }
  }
  return false
}

/** An atom that matches more than one character: a class, `.`, `\\w`, a group. */
const WIDE = ''

interface Level {
  /** Something in this group repeats without bound. */
  repeats: boolean
  /** The last atom of this alternative, when it repeats without bound: its character, or WIDE. */
  previousUnbounded?: string
}

function newLevel(): Level {
  return { repeats: false }
}

/** Whether two atoms might match the same character (two different literals never do). */
function mayOverlap(a: string, b: string): boolean {
  return a === WIDE || b === WIDE || a === b
}

/** Past `?:`, `?=`, `?!`, `?<=`, `?<!` or `?<name>` at the start of a group. */
function afterGroupPrefix(source: string, at: number): number {
  if (source[at] !== '?') return at
  if (source[at + 1] !== '<' || source[at + 2] === '=' || source[at + 2] === '!') {
    return at + (source[at + 1] === '<' ? 3 : 2)
  }
  const close = source.indexOf('>', at)
  return close < 0 ? source.length : close + 1
}

/** The index just past a character class whose content starts at `from`. */
function endOfClass(source: string, from: number): number {
  let i = from
  if (source[i] === ']') i++
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1
  return i + 1
}

/** The length of an unbounded quantifier (`+`, `*`, `{n,}`, lazy or not) at `at`; 0 if none. */
function unboundedQuantifierAt(source: string, at: number): number {
  const match = /^(?:[+*]|\{\d+,\})\??/.exec(source.slice(at, at + 32))
  return match ? match[0].length : 0
}

/** The length of a bounded quantifier (`?`, `{n}`, `{n,m}`, lazy or not) at `at`; 0 if none. */
function boundedQuantifierAt(source: string, at: number): number {
  const match = /^(?:\?|\{\d+(?:,\d+)?\})\??/.exec(source.slice(at, at + 32))
  return match ? match[0].length : 0
}
