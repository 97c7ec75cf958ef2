// Downloads the plan's JSON: the full `json-output` when the token may read it, else the
// redacted one, else says why there is none. Temporary URLs are used at once and never logged.
// Beside a full plan, the end of the redacted one is read for its provider schemas
// (readRedactedPlanTail), so that an admin token gets the same diffs as one that may read only the
// redacted plan.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import * as core from '@actions/core'
import { systemClock } from '../util/clock.js'
import type { Clock } from '../util/clock.js'
import type { TfcClient } from './client.js'
import { hostOf } from './errors.js'
import { discardBody } from './http.js'
import { MAX_TEMPORARY_URLS, saveBody, takeTemporaryUrl } from './temporary-url.js'
import type { ContentCheck, DownloadProblem, TakeBody } from './temporary-url.js'
import { readBodyTail, tailRequestHeaders } from './body-tail.js'
import type { BodyTail } from './body-tail.js'

export type JsonPlanDownload =
  | { kind: 'json' | 'redacted-json'; path: string; bytes: number }
  | { kind: 'unavailable'; reason: string }

export interface JsonPlanOptions {
  /** Folder for `<planId>.json` (or `<planId>-redacted.json`); created when missing. */
  destDir: string
  /** Time for the pauses while the JSON is not ready (default: the system clock). */
  clock?: Clock
  /** How long to keep asking while the API answers 204 (JSON not ready yet); default 30 s. */
  timeoutMs?: number
  /**
   * Called once when the API answers with the full plan's location, before it is downloaded: the
   * moment to start what is needed beside it (the redacted plan's schemas).
   */
  onFullPlanFound?: () => void
}

/** The API answers 204 until the JSON exists, which can lag the plan's status briefly. */
const NOT_READY_RETRY_MS = 1000
const DEFAULT_NOT_READY_TIMEOUT_MS = 30_000
const REDIRECTS = [301, 302, 303, 307, 308]
/** 403/404: the token may not read it; 422: Terraform too old for this JSON. */
const REFUSALS = [403, 404, 422]

const PERMISSION_ADVICE =
  'Use a user or team token with workspace admin access for full detail, or read-runs access ' +
  'for the redacted plan; organization tokens cannot read plan JSON.'

type EndpointOutcome<T> =
  | { kind: 'taken'; value: T }
  | { kind: 'refused'; status: number }
  | { kind: 'not-ready'; waitedMs: number }
  | { kind: 'download-failed'; problem: string }

type Failure = Exclude<EndpointOutcome<unknown>, { kind: 'taken' }>

/** How the JSON's answer is read: the request's extra headers, and what is done with the body. */
interface BodyReader<T> {
  headers?: Record<string, string>
  take: TakeBody<T>
}

/** Saves the body to `destination`, checked to be one whole JSON document when `checkDocument`. */
function savedTo(destination: string, checkDocument = true): BodyReader<{ bytes: number }> {
  return {
    take: (response, host) =>
      saveBody(response, destination, host, checkDocument ? new JsonDownloadCheck() : undefined)
  }
}

export async function downloadJsonPlan(
  client: TfcClient,
  plan: { planId: string },
  options: JsonPlanOptions
): Promise<JsonPlanDownload> {
  await mkdir(options.destDir, { recursive: true })
  const { planId } = plan
  const fullPath = join(options.destDir, `${planId}.json`)
  const full = await fetchPlanJson(client, planId, 'json-output', savedTo(fullPath), options)
  if (full.kind === 'taken') return { kind: 'json', path: fullPath, bytes: full.value.bytes }
  if (!worthFallingBack(full)) return { kind: 'unavailable', reason: explainFull(full) }

  core.debug(`${planId}: no full JSON plan (${describe(full)}); trying the redacted one`)
  const redactedPath = join(options.destDir, `${planId}-redacted.json`)
  const redacted = await fetchPlanJson(
    client,
    planId,
    'json-output-redacted',
    savedTo(redactedPath),
    options
  )
  if (redacted.kind === 'taken') {
    return { kind: 'redacted-json', path: redactedPath, bytes: redacted.value.bytes }
  }
  return { kind: 'unavailable', reason: explainBoth(full, redacted) }
}

/**
 * The last `tailBytes` of the redacted plan, read beside a full plan for its provider schemas
 * (its second-to-last member): asked for with a Range request, or, from a server that sends the
 * whole plan anyway, streamed through up to `maxWholeBytes`. Undefined when it cannot be had
 * (Terraform before 0.15.2, no access, a failed download); the diffs are then shown without
 * schemas, as the full JSON plan alone allows.
 */
export async function readRedactedPlanTail(
  client: TfcClient,
  plan: { planId: string },
  options: Omit<JsonPlanOptions, 'destDir'> & { tailBytes: number; maxWholeBytes: number }
): Promise<BodyTail | undefined> {
  const { planId } = plan
  const outcome = await fetchPlanJson(
    client,
    planId,
    'json-output-redacted',
    {
      headers: tailRequestHeaders(options.tailBytes),
      take: (response, host) => readBodyTail(response, host, options)
    },
    options
  )
  if (outcome.kind === 'taken') return outcome.value
  core.debug(`${planId}: no redacted plan (${describe(outcome)}); diffs are read without schemas`)
  return undefined
}

/** A token without admin access, or an archivist that would not serve the file. */
function worthFallingBack(full: Failure): boolean {
  return (full.kind === 'refused' && full.status !== 422) || full.kind === 'download-failed'
}

async function fetchPlanJson<T extends object>(
  client: TfcClient,
  planId: string,
  endpoint: 'json-output' | 'json-output-redacted',
  reader: BodyReader<T>,
  options: Omit<JsonPlanOptions, 'destDir'>
): Promise<EndpointOutcome<T>> {
  const clock = options.clock ?? systemClock
  const notReadyTimeoutMs = options.timeoutMs ?? DEFAULT_NOT_READY_TIMEOUT_MS
  const path = `/plans/${encodeURIComponent(planId)}/${endpoint}`
  const started = clock.now()
  let attempts = 0

  for (;;) {
    // Streamed, never parsed here: a JSON plan served inline can be hundreds of MB.
    const response = await client.apiDownload(path, {
      accept: [204, ...REDIRECTS, ...REFUSALS],
      ...(reader.headers !== undefined && { headers: reader.headers })
    })
    if (response.status === 204 || REFUSALS.includes(response.status)) discardBody(response)
    if (response.status === 204) {
      const waitedMs = clock.now() - started
      if (waitedMs >= notReadyTimeoutMs) return { kind: 'not-ready', waitedMs }
      await clock.sleep(NOT_READY_RETRY_MS)
      continue
    }
    if (REFUSALS.includes(response.status)) return { kind: 'refused', status: response.status }

    if (endpoint === 'json-output' && attempts === 0) options.onFullPlanFound?.()
    attempts++
    // Each attempt asks the API for a fresh temporary URL.
    let download: T | DownloadProblem
    if (REDIRECTS.includes(response.status)) {
      discardBody(response)
      const location = response.headers.get('location')
      download = location
        ? await takeTemporaryUrl(
            client,
            new URL(location, client.origin).href,
            reader.take,
            reader.headers
          )
        : { problem: 'HCP Terraform redirected without a Location' }
    } else {
      // 200: the JSON came inline (json-output-redacted does this).
      download = await reader.take(response, hostOf(client.origin))
    }
    if (!('problem' in download)) return { kind: 'taken', value: download }
    core.debug(`${planId}: ${endpoint} download attempt ${attempts} failed: ${download.problem}`)
    if (attempts >= MAX_TEMPORARY_URLS) {
      return { kind: 'download-failed', problem: `${download.problem} (${attempts} attempts)` }
    }
  }
}

/**
 * Follows the nesting of brackets outside strings: a whole plan is one object whose closing brace
 * is the last thing in the file. A cut anywhere leaves it open.
 */
export class JsonDownloadCheck extends Transform implements ContentCheck {
  private depth = 0
  private inString = false
  /** Backslashes that ended the last chunk inside a string: they may escape a quote in this one. */
  private trailingBackslashes = 0
  private startsWithBrace: boolean | undefined = undefined
  private objectClosed = false
  private trailingData = false

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    // An indexed loop over locals: plans can be hundreds of megabytes. Strings, most of a plan's
    // bytes, are passed over by the native search for their closing quote.
    let { depth, inString, startsWithBrace, objectClosed, trailingData } = this
    let carried = this.trailingBackslashes
    const n = chunk.length
    let i = 0
    while (i < n) {
      if (inString) {
        const quote = chunk.indexOf(QUOTE, i)
        const end = quote < 0 ? n : quote
        let backslashes = 0
        while (end - backslashes > i && chunk[end - backslashes - 1] === BACKSLASH) backslashes++
        if (end - backslashes === i) backslashes += carried
        carried = 0
        if (quote < 0) {
          this.trailingBackslashes = backslashes
          break
        }
        // An odd run of backslashes escapes the quote.
        if (backslashes % 2 === 0) inString = false
        i = quote + 1
        continue
      }
      const byte = chunk[i++]
      if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue
      startsWithBrace ??= byte === OPEN_BRACE
      if (objectClosed) {
        trailingData = true
      } else if (byte === QUOTE) {
        inString = true
        carried = 0
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth++
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--
        objectClosed = depth === 0
      }
    }
    if (!inString) this.trailingBackslashes = 0
    this.depth = depth
    this.inString = inString
    this.startsWithBrace = startsWithBrace
    this.objectClosed = objectClosed
    this.trailingData = trailingData
    done(null, chunk)
  }

  problem(host: string): string | undefined {
    const complete = this.startsWithBrace === true && this.objectClosed && !this.trailingData
    return complete ? undefined : `the download from ${host} is not a complete JSON document`
  }
}

const [QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [
  0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d
]

function describe(failure: Failure): string {
  switch (failure.kind) {
    case 'refused':
      return `HTTP ${failure.status}`
    case 'not-ready':
      return `still not ready after ${Math.round(failure.waitedMs / 1000)} s (HTTP 204)`
    case 'download-failed':
      return failure.problem
  }
}

/** Why there is no JSON when the redacted one is not worth asking for. */
function explainFull(full: Failure): string {
  if (full.kind === 'refused' && full.status === 422) {
    return 'HCP Terraform has no JSON for this plan (HTTP 422): Terraform before 0.12 cannot produce one.'
  }
  return `HCP Terraform did not provide the plan's JSON: ${describe(full)}.`
}

function explainBoth(full: Failure, redacted: Failure): string {
  if (full.kind === 'refused' && redacted.kind === 'refused') {
    if (redacted.status === 422) {
      return (
        `The token may not read this plan's full JSON (HTTP ${full.status}), and the redacted ` +
        'JSON needs Terraform 0.15.2 or later (HTTP 422). Use a user or team token with ' +
        'workspace admin access for full detail; organization tokens cannot read plan JSON.'
      )
    }
    return (
      `The token may not read this plan's JSON (HTTP ${full.status} for json-output, ` +
      `HTTP ${redacted.status} for json-output-redacted). ${PERMISSION_ADVICE}`
    )
  }
  const fullPart =
    full.kind === 'refused'
      ? `the token may not read the full JSON (HTTP ${full.status})`
      : `the full JSON could not be downloaded: ${describe(full)}`
  return `No JSON plan: ${fullPart}; the redacted JSON: ${describe(redacted)}.`
}
