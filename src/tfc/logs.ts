// The plan's log: errors and warnings from HCP Terraform's structured log (JSON lines), or from
// Terraform's human output when the log is plain text, plus the last lines for context.
import { stripVTControlCharacters } from 'node:util'
import type { Diagnostic, DiagnosticSnippet } from '../result.js'
import { isRecord } from '../util/is-record.js'
import type { TfcClient } from './client.js'
import { openTemporaryUrl } from './temporary-url.js'

export interface PlanLog {
  diagnostics: Diagnostic[]
  /** Last non-empty lines, when the log had no structured diagnostics. */
  logTail?: string[]
}

export interface ReadPlanLogOptions {
  /** Only the end of a longer log is read (errors come last); default 5 MB. */
  maxBytes?: number
}

const DEFAULT_MAX_LOG_BYTES = 5 * 1024 * 1024
const TAIL_LINES = 20
const MAX_TAIL_LINE_CHARS = 500
/** Lines after `Error: …` kept for one plain-text diagnostic. */
const MAX_PLAIN_BLOCK_LINES = 40

/** Reads `log-read-url` (a secret URL: masked, fetched without the token, never logged). */
export async function readPlanDiagnostics(
  client: TfcClient,
  logReadUrl: string,
  options: ReadPlanLogOptions = {}
): Promise<PlanLog> {
  const response = await openTemporaryUrl(client, logReadUrl)
  const text = await readEnd(response.body, options.maxBytes ?? DEFAULT_MAX_LOG_BYTES)
  return parsePlanLog(text)
}

/** The last `maxBytes` of a stream, starting at a whole line; memory stays near `maxBytes`. */
export async function readEnd(
  body: NodeJS.ReadableStream | null,
  maxBytes: number
): Promise<string> {
  if (body === null) return ''
  const chunks: Buffer[] = []
  let kept = 0
  let dropped = false
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)
    chunks.push(buffer)
    kept += buffer.length
    while (kept - chunks[0].length >= maxBytes) {
      kept -= chunks.shift()!.length
      dropped = true
    }
  }
  let end = Buffer.concat(chunks)
  if (end.length > maxBytes) {
    end = end.subarray(end.length - maxBytes)
    dropped = true
  }
  if (!dropped) return end.toString('utf8')
  const firstLineBreak = end.indexOf(0x0a)
  return end.subarray(firstLineBreak + 1).toString('utf8')
}

/** Diagnostics from a plan log; the last lines too when it has no structured diagnostics. */
export function parsePlanLog(text: string): PlanLog {
  const structured: Diagnostic[] = []
  const plainLines: string[] = []
  const readable: string[] = []

  for (const line of text.split(/\r?\n/).map(cleanLine)) {
    const entry = parseJsonLine(line)
    if (entry === undefined) {
      plainLines.push(line)
      readable.push(line)
      continue
    }
    // Sentinel / OPA output is the policy checks' business, not the plan's.
    if (entry['@policy'] !== undefined) continue
    if (entry.type === 'diagnostic') {
      const diagnostic = structuredDiagnostic(entry)
      if (diagnostic) structured.push(diagnostic)
    }
    if (typeof entry['@message'] === 'string') readable.push(...entry['@message'].split('\n'))
  }

  if (structured.length > 0) return { diagnostics: uniqueDiagnostics(structured) }
  const tail = logTail(readable)
  return {
    diagnostics: uniqueDiagnostics(plainDiagnostics(plainLines)),
    ...(tail.length > 0 ? { logTail: tail } : {})
  }
}

/** The last non-empty lines of a log, each cut to a readable length. */
export function logTail(lines: string[]): string[] {
  return lines
    .filter(line => line.trim() !== '')
    .slice(-TAIL_LINES)
    .map(line =>
      line.length > MAX_TAIL_LINE_CHARS ? `${line.slice(0, MAX_TAIL_LINE_CHARS)}…` : line
    )
}

/** Without colours, the archivist's STX/ETX stream markers, and trailing blanks. */
export function cleanLine(line: string): string {
  return stripVTControlCharacters(line).replaceAll('\u0002', '').replaceAll('\u0003', '').trimEnd()
}

/** A JSON log entry; a prefix before the `{` (a timestamp, say) is tolerated. */
export function parseJsonLine(line: string): Record<string, unknown> | undefined {
  const start = line.indexOf('{')
  if (start < 0 || !line.endsWith('}')) return undefined
  try {
    const entry: unknown = JSON.parse(line.slice(start))
    return isRecord(entry) && ('@message' in entry || 'type' in entry) ? entry : undefined
  } catch {
    return undefined
  }
}

export function structuredDiagnostic(entry: Record<string, unknown>): Diagnostic | undefined {
  const raw = entry.diagnostic
  if (!isRecord(raw)) return undefined
  const severity =
    raw.severity === 'warning' || (raw.severity !== 'error' && entry['@level'] === 'warn')
      ? 'warning'
      : 'error'
  const summary =
    text(raw.summary) ??
    text(entry['@message'])?.replace(/^(Error|Warning): /, '') ??
    'Unknown problem'
  const range = isRecord(raw.range) ? raw.range : {}
  const start = isRecord(range.start) ? range.start : {}
  const address = text(raw.address)
  return {
    severity,
    summary,
    detail: text(raw.detail),
    ...(address !== undefined && { address }),
    filename: text(range.filename),
    line: count(start.line),
    snippet: structuredSnippet(raw.snippet)
  }
}

function structuredSnippet(raw: unknown): DiagnosticSnippet | undefined {
  if (!isRecord(raw) || typeof raw.code !== 'string') return undefined
  const startLine = count(raw.start_line)
  if (startLine === undefined) return undefined
  return {
    context: text(raw.context),
    code: raw.code,
    startLine,
    highlightStartOffset: count(raw.highlight_start_offset),
    highlightEndOffset: count(raw.highlight_end_offset)
  }
}

interface PlainBlock {
  severity: Diagnostic['severity']
  summary: string
  body: string[]
}

/**
 * Terraform's human output: `Error: summary`, optionally boxed in `╷ │ ╵`, then
 * `on main.tf line 2, in resource "x" "y":`, numbered source lines, and the detail.
 */
export function plainDiagnostics(lines: string[]): Diagnostic[] {
  const blocks: PlainBlock[] = []
  let open: PlainBlock | undefined
  for (const line of lines) {
    const trimmed = line.trim()
    if (trimmed.startsWith('╵')) {
      open = undefined
      continue
    }
    const content = line.replace(/^\s*│ ?/, '')
    const heading = /^(Error|Warning): (.+)$/.exec(content.trim())
    if (heading) {
      open = {
        severity: heading[1] === 'Warning' ? 'warning' : 'error',
        summary: heading[2].trim(),
        body: []
      }
      blocks.push(open)
    } else if (open && !trimmed.startsWith('╷') && open.body.length < MAX_PLAIN_BLOCK_LINES) {
      open.body.push(content)
    }
  }
  return blocks.map(plainDiagnostic)
}

const LOCATION = /^\s*on (.+?) line (\d+)(?:, in (.+?))?:$/
const SOURCE_LINE = /^\s*(\d+): ?(.*)$/
/** Values of the expression under the source lines (`├────`, `│ var.x is "a"`). */
const EXPRESSION_VALUE = /^\s*[├│]/

function plainDiagnostic({ severity, summary, body }: PlainBlock): Diagnostic {
  const diagnostic: Diagnostic = { severity, summary }
  const rest = [...body]
  const at = rest.findIndex(line => LOCATION.test(line))
  if (at >= 0) {
    const [, filename, line, context] = LOCATION.exec(rest[at]) ?? []
    diagnostic.filename = filename
    diagnostic.line = Number(line)
    const code: string[] = []
    let startLine: number | undefined
    let end = at + 1
    for (let source; end < rest.length && (source = SOURCE_LINE.exec(rest[end])); end++) {
      startLine ??= Number(source[1])
      code.push(source[2])
    }
    while (end < rest.length && EXPRESSION_VALUE.test(rest[end])) end++
    if (startLine !== undefined) diagnostic.snippet = { context, code: code.join('\n'), startLine }
    rest.splice(at, end - at)
  }
  const detail = rest
    .map(line => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  if (detail !== '') diagnostic.detail = detail
  return diagnostic
}

/** Terraform repeats some diagnostics (validate, then plan). */
export function uniqueDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return diagnostics.filter(diagnostic => {
    const key = JSON.stringify([
      diagnostic.severity,
      diagnostic.summary,
      diagnostic.detail,
      diagnostic.filename,
      diagnostic.line
    ])
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined
}
