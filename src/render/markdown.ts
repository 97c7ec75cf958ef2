// Safe Markdown primitives: the only place that escapes and masks. Everything the renderers print
// from a plan, an API or a user goes through one of these, so nothing can render as HTML, mention
// someone, link an issue or URL, break a table, code span or code block, or forge the sticky
// comment's marker, and no match of the `mask` input is shown (see withMasker).
//
// Inline primitives (escapeText, codeSpan, link, strong) are valid both in Markdown paragraphs and
// table cells and inside raw HTML blocks such as <summary>: they escape with character references,
// which both contexts decode, never with backslashes, which HTML blocks would show.

import { maskText } from '../util/mask.js'
import type { Masker } from '../util/mask.js'

/** The masker of the document being rendered; rendering is synchronous, so one at a time. */
let activeMasker: Masker | undefined

/** Renders with every text primitive (and clip) masking what `masker` matches. */
export function withMasker<T>(masker: Masker | undefined, render: () => T): T {
  const outer = activeMasker
  activeMasker = masker
  try {
    return render()
  } finally {
    activeMasker = outer
  }
}

/** The masker in effect, as a key for renderings remembered per masker (see memo.ts). */
export function currentMasker(): Masker | undefined {
  return activeMasker
}

/** Raw text with the matches of the masker in effect replaced, before it is cut or escaped. */
export function masked(text: string): string {
  return maskText(text, activeMasker)
}

/** Unicode controls that reorder text on screen ("Trojan Source") or are invisible. */
const INVISIBLE_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029\uFEFF]/g
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI_ESCAPES = /\u001B\[[0-9;?]*[ -/]*[@-~]/g
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const C0_C1_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g
/** Characters that start or end Markdown inline markup or HTML, anywhere in a line (`_`: see below). */
const INLINE_MARKUP = '&<>"\'`*[]\\|~$#@'
/** The same, plus `:` so Markdown's autolinks (which look for `https:` in the raw text) never match. */
const CODE_MARKUP = `${INLINE_MARKUP}:`
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;'
}
const ZWJ = '\u200D'

function reference(char: string): string {
  return NAMED_REFERENCES[char] ?? `&#${char.charCodeAt(0)};`
}

/** References by character code, for escapeChars. */
function referenceTable(chars: string): readonly (string | undefined)[] {
  const table: (string | undefined)[] = []
  for (const char of chars) table[char.charCodeAt(0)] = reference(char)
  return table
}

const INLINE_REFERENCES = referenceTable(INLINE_MARKUP)
const CODE_REFERENCES = referenceTable(CODE_MARKUP)

/** Every character of the table replaced by its reference, in one pass (this runs per address). */
function escapeChars(text: string, references: readonly (string | undefined)[]): string {
  let escaped = ''
  let copied = 0
  for (let i = 0; i < text.length; i++) {
    const replacement = references[text.charCodeAt(i)]
    if (replacement === undefined) continue
    escaped += text.slice(copied, i) + replacement
    copied = i + 1
  }
  return copied === 0 ? text : escaped + text.slice(copied)
}

/**
 * Underscores between letters or digits (`aws_instance`) can never open or close emphasis, so
 * they stay as they are; any other underscore becomes a reference.
 */
function escapeUnderscores(text: string): string {
  if (!text.includes('_')) return text
  return text.replace(UNDERSCORES_OUTSIDE_WORDS, run => '&#95;'.repeat(run.length))
}

/**
 * Whole runs of underscores without a letter or digit on one side. (A match can only start at a
 * run's first underscore: the lookbehind excludes `_`, and the lookahead cannot succeed mid-run.)
 */
const UNDERSCORES_OUTSIDE_WORDS = /(?<![A-Za-z0-9_])_+|_+(?![A-Za-z0-9_])/g

function codePoint(char: string): string {
  return `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
}

/** Anything sanitizeInline changes: lone surrogates, controls (ANSI escapes start with one), tabs. */
const NEEDS_SANITIZING =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029\uFEFF\uD800-\uDFFF]/

/** One line of inline content: no line breaks, no invisible or reordering controls. */
function sanitizeInline(text: string): string {
  // Most text (every address of a big plan) has nothing to sanitize: one scan instead of five.
  if (!NEEDS_SANITIZING.test(text)) return text
  return text
    .replace(LONE_SURROGATES, '\uFFFD')
    .replace(ANSI_ESCAPES, '')
    .replace(/\r\n|[\r\n\t]/g, ' ')
    .replace(C0_C1_CONTROLS, '\uFFFD')
    .replace(INVISIBLE_CONTROLS, '\uFFFD')
}

/**
 * Plain text for a paragraph, list item, table cell or HTML element. Besides escaping, it breaks
 * what GitHub links in rendered text (which character references would not stop): @mentions,
 * #123 and GH-123 references, URLs and www. addresses, with an invisible zero-width joiner.
 */
export function escapeText(text: string): string {
  const escaped = escapeUnderscores(escapeChars(sanitizeInline(masked(text)), INLINE_REFERENCES))
  return escapeLineStart(LINKABLE.test(escaped) ? breakLinks(escaped) : escaped)
}

/** Anything breakLinks changes (and a little more): one scan for the usual text without any. */
const LINKABLE = /&#64;|&#35;|:\/\/|www\.|gh-\d/i

function breakLinks(text: string): string {
  return text
    .replace(/&#64;|&#35;/g, `$&${ZWJ}`)
    .replace(/:(?=\/\/)/g, `:${ZWJ}`)
    .replace(/\bwww(?=\.)/gi, `$&${ZWJ}`)
    .replace(/\bGH-(?=\d)/gi, `$&${ZWJ}`)
}

/** Every block start escapeLineStart escapes, and a little more. */
const BLOCK_START = /^(?:[-+=\d]| {4})/

/**
 * Text may begin a line: escape what would start a block there (list markers, setext underlines,
 * ordered-list numbers, four spaces of indented code). `#` and `>` are already references.
 */
function escapeLineStart(text: string): string {
  if (!BLOCK_START.test(text)) return text
  return text
    .replace(/^(?:[-+=]| (?= {3}))/, reference)
    .replace(/^(\d+)([.)])/, (_, digits: string, mark: string) => digits + reference(mark))
}

/** Anything codeSpan's `www.` escape changes, and a little more. */
const WWW_DOT = /www\./i

/**
 * Inline code (addresses, keys, IDs) as an HTML <code> element with every markup character
 * escaped: no backtick run in the content can close it, and it works in table cells and <summary>.
 * GitHub never turns text inside <code> into mentions or references, so the content stays exact
 * for copy and paste.
 */
export function codeSpan(text: string): string {
  // Markdown's autolinks look for `https:` and `www.` in the raw text: references defeat them.
  const escaped = escapeUnderscores(escapeChars(sanitizeInline(masked(text)), CODE_REFERENCES))
  return `<code>${WWW_DOT.test(escaped) ? escaped.replace(/(?<=\bwww)\./gi, '&#46;') : escaped}</code>`
}

/** Bold inline content that is already safe (built from these primitives). */
export function strong(safeInline: string): string {
  return `<b>${safeInline}</b>`
}

/** Italic inline content that is already safe (built from these primitives). */
export function emphasis(safeInline: string): string {
  return `<i>${safeInline}</i>`
}

/** A link to an http(s) URL, or just the text when the URL is anything else. */
export function link(safeInline: string, url: string | undefined): string {
  // A URL can carry a value too (a run task's details page with a token in its query).
  const href = safeHref(url === undefined ? undefined : masked(url))
  return href === undefined ? safeInline : `<a href="${href}">${safeInline}</a>`
}

function safeHref(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined
  // URL.href percent-encodes spaces, quotes and angle brackets; these are left to encode.
  return parsed.href
    .replace(/[()|`*_[\]\\'"<>]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/&/g, '&amp;')
}

/** Prose that may span lines (diagnostic details): paragraphs kept, each line escaped. */
export function escapeParagraphs(text: string): string {
  return masked(text)
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map(paragraph =>
      paragraph
        .split('\n')
        .map(line => escapeText(line.trim()))
        .filter(line => line !== '')
        .join('<br>\n')
    )
    .filter(paragraph => paragraph !== '')
    .join('\n\n')
}

/**
 * A fenced code block. The content is shown literally; the fence is longer than any backtick run
 * inside, so no line of the content can close it. Controls are made visible, and `<!--` is broken
 * so no content can contain the hidden comment marker.
 */
export function codeBlock(language: string, text: string): string {
  const content = masked(text)
    .replace(LONE_SURROGATES, '\uFFFD')
    .replace(ANSI_ESCAPES, '')
    .replace(/\r\n?/g, '\n')
    .replace(C0_C1_CONTROLS, c =>
      c.charCodeAt(0) < 0x20 ? String.fromCharCode(0x2400 + c.charCodeAt(0)) : '\uFFFD'
    )
    .replace(INVISIBLE_CONTROLS, c => `[${codePoint(c)}]`)
    .replace(/<!--/g, `<!${ZWJ}--`)
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  const info = language.replace(/[^A-Za-z0-9_+-]/g, '')
  return `${fence}${info}\n${content}\n${fence}`
}

/** A table cell from safe inline content: no pipe or line break can split the row. */
export function tableCell(safeInline: string): string {
  return safeInline.replace(/\r\n|[\r\n]/g, ' ').replace(/\|/g, '&#124;')
}

export type Alignment = 'left' | 'right' | 'center'

/** A GitHub table from safe inline content. */
export function table(headers: string[], rows: string[][], alignments: Alignment[] = []): string {
  const line = (cells: string[]): string => `| ${cells.map(tableCell).join(' | ')} |`
  const rule = headers.map((_, i) => {
    const alignment = alignments[i] ?? 'left'
    return alignment === 'right' ? '---:' : alignment === 'center' ? ':---:' : ':---'
  })
  return [line(headers), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n')
}

/**
 * A collapsible section. The summary is safe inline content; the body is Markdown and is separated
 * by blank lines so GitHub renders it as Markdown inside the HTML block.
 */
export function details(safeSummary: string, body: string, open = false): string {
  return `${detailsStart(safeSummary, open)}\n\n${body}\n\n${detailsEnd()}`
}

/** The opening of a collapsible section whose body is composed elsewhere; close with detailsEnd. */
export function detailsStart(safeSummary: string, open = false): string {
  const summary = safeSummary.replace(/\r\n|[\r\n]/g, ' ')
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>`
}

export function detailsEnd(): string {
  return '</details>'
}

export type AlertKind = 'NOTE' | 'TIP' | 'IMPORTANT' | 'WARNING' | 'CAUTION'

/** A GitHub alert (a blockquote with a coloured title) around safe Markdown lines. */
export function alert(kind: AlertKind, safeMarkdown: string): string {
  const lines = safeMarkdown.split('\n').map(line => (line === '' ? '>' : `> ${line}`))
  return [`> [!${kind}]`, ...lines].join('\n')
}

/** A commit as people write it: its first 7 hex digits. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7)
}

/** `commit <code>1a2b3c4</code>`, linked to the commit. */
export function commitLink(commit: { sha: string; url: string }): string {
  return `${escapeText('commit')} ${link(codeSpan(shortSha(commit.sha)), commit.url)}`
}

/** A heading; levels beyond 6 stay at 6. */
export function heading(level: number, safeInline: string): string {
  const hashes = '#'.repeat(Math.min(6, Math.max(1, level)))
  return `${hashes} ${safeInline.replace(/\r\n|[\r\n]/g, ' ')}`
}

/** One bullet of a list, from safe inline content. */
export function bullet(safeInline: string): string {
  return `- ${safeInline.replace(/\r\n|[\r\n]/g, ' ')}`
}

/**
 * The hidden marker that lets the publisher find its own sticky comment:
 * `<!-- tfc-plan-summary:<key>:<label> -->`. Key and label are percent-encoded down to letters,
 * digits and `._~/-`, so two different pairs never share a marker, and neither can end the
 * comment. Rendered content can never contain a marker: text escapes `<`, code blocks break `<!--`.
 */
export function commentMarker(workspaceKey: string, label: string): string {
  return `${MARKER_START}${markerPart(workspaceKey)}${commentMarkerEnd(label)}`
}

const MARKER_START = '<!-- tfc-plan-summary:'

/** Whether a comment body starts with one of our markers for `label`, whatever its workspace key. */
export function hasCommentMarkerFor(body: string, label: string): boolean {
  const firstLine = body.split('\n', 1)[0]
  return firstLine.startsWith(MARKER_START) && firstLine.endsWith(commentMarkerEnd(label))
}

function commentMarkerEnd(label: string): string {
  return `:${markerPart(label)} -->`
}

function markerPart(value: string): string {
  return Array.from(new TextEncoder().encode(value), byte => {
    const char = String.fromCharCode(byte)
    return /[A-Za-z0-9._~/-]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }).join('')
}
