// A comment too long for GitHub, continued in further comments ("part 2 of 3"): the whole document
// is rendered once, then cut between lines into parts that each fit. Cuts are made at blank lines
// outside code blocks where possible; a `<details>` block (or, failing that, a code block) open at
// a cut is closed at the end of the part and opened again at the start of the next. Pure.
import type { WorkspaceResult } from '../result.js'
import { utf16Length } from './budget.js'
import type { Measure } from './budget.js'
import { commentMarker, escapeText } from './markdown.js'
import { block } from './layout.js'
import { renderComment } from './report.js'
import type { RenderOptions } from './report.js'

/** More comments than this would bury the pull request's conversation: the last is shortened. */
export const MAX_COMMENT_PARTS = 10
/** Room kept in each part for its "part 2 of 3" line. */
const PART_LINE_ROOM = 100
/** Each retry renders the whole document this much shorter, until it fits in the parts. */
const SHRINK_FACTOR = 0.8

/** The marker of part `part` (2 and up) of the comment `commentMarker(workspaceKey, label)`. */
export function commentPartMarker(workspaceKey: string, label: string, part: number): string {
  return commentMarker(`${workspaceKey}#part-${part}`, label)
}

/**
 * The comment in parts of at most `options.maxLength` each (markers not included: the caller puts
 * each part's own marker on top), at most MAX_COMMENT_PARTS of them. One part when it fits.
 */
export function renderCommentParts(results: WorkspaceResult[], options: RenderOptions): string[] {
  const partLength = options.maxLength - PART_LINE_ROOM
  const render = (maxLength: number): string =>
    renderComment(results, { ...options, marker: undefined, maxLength })
  for (
    let total = partLength * MAX_COMMENT_PARTS;
    total > options.maxLength;
    total = Math.floor(total * SHRINK_FACTOR)
  ) {
    const whole = render(total)
    if (utf16Length(whole) <= options.maxLength) return [whole]
    const parts = splitMarkdown(whole, partLength, utf16Length)
    if (parts.length <= MAX_COMMENT_PARTS && parts.every(part => part.length <= partLength)) {
      return parts.map((part, index) => withPartLine(part, index + 1, parts.length))
    }
  }
  return [render(options.maxLength)]
}

function withPartLine(part: string, number: number, count: number): string {
  if (number === 1) {
    return `${part}${block(escapeText(`Continued in the next comment (part 1 of ${count}).`))}`
  }
  return `${block(`**${escapeText(`Part ${number} of ${count}`)}** ${escapeText('(continued)')}`)}${part}`
}

/** What is open before a line: the `<details>` lines around it, and the code block it is in. */
interface Context {
  details: string[]
  fence?: { opening: string; closing: string }
}

/**
 * Cuts `markdown` between lines into parts of at most `limit` (as `measure` counts), each
 * balanced: what is open at a cut is closed before it and opened again after it. A single line
 * longer than a part stays whole (its part is then too long: the caller checks).
 */
export function splitMarkdown(markdown: string, limit: number, measure: Measure): string[] {
  const lines = markdown.replace(/\n+$/, '').split('\n')
  const contexts = contextsBefore(lines)
  // before[i]: the size of lines 0 … i-1, each with its newline.
  const before = [0]
  for (const line of lines) before.push(before[before.length - 1] + measure(line) + 1)
  const opening = (context: Context): string => {
    const details = context.details.map(line => `${continued(line)}\n`).join('')
    return details + (context.fence ? `${context.fence.opening}\n` : '')
  }
  const closing = (context: Context): string =>
    (context.fence ? `${context.fence.closing}\n` : '') +
    '</details>\n'.repeat(context.details.length)
  const sizeOf = (from: number, to: number): number =>
    measure(opening(contexts[from])) + before[to] - before[from] + measure(closing(contexts[to]))

  // Where a part may end, best first: a blank line outside any block, a blank line outside code,
  // any line.
  const rank = (at: number): number => {
    if (lines[at - 1] !== '' || contexts[at].fence) return 0
    return contexts[at].details.length === 0 ? 2 : 1
  }
  const cuts = [0]
  let start = 0
  for (let next = 1; next <= lines.length; next++) {
    while (next - 1 > start && sizeOf(start, next) > limit) {
      // The latest of the best-ranked cuts that leave this part within the limit.
      let best: number | undefined
      for (let at = next - 1; at > start; at--) {
        if (sizeOf(start, at) > limit) continue
        if (best === undefined || rank(at) > rank(best)) best = at
      }
      start = best ?? start + 1
      cuts.push(start)
    }
  }
  cuts.push(lines.length)
  return cuts
    .slice(0, -1)
    .map(
      (from, i) =>
        opening(contexts[from]) +
        lines.slice(from, cuts[i + 1]).join('\n') +
        '\n' +
        closing(contexts[cuts[i + 1]])
    )
}

/** contexts[i] is what is open before line i; contexts[lines.length], after the last line. */
function contextsBefore(lines: string[]): Context[] {
  const contexts: Context[] = []
  let context: Context = { details: [] }
  for (const line of lines) {
    contexts.push(context)
    if (context.fence) {
      if (line === context.fence.closing) context = { details: context.details }
      continue
    }
    const fence = /^`{3,}/.exec(line)?.[0]
    if (fence) context = { ...context, fence: { opening: line, closing: fence } }
    else if (line.startsWith('<details')) context = { details: [...context.details, line] }
    else if (line.startsWith('</details>')) context = { details: context.details.slice(0, -1) }
  }
  contexts.push(context)
  return contexts
}

/** A `<details>` line opened again in the next part: its summary says it continues. */
function continued(detailsLine: string): string {
  return detailsLine.replace('</summary>', ` ${escapeText('(continued)')}</summary>`)
}
