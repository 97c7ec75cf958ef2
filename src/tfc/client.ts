// The one HTTP client for HCP Terraform / TFE. The token goes to the API origin only.
import * as core from '@actions/core'
import type { Headers, Response } from 'node-fetch'
import packageJson from '../../package.json' with { type: 'json' }
import { systemClock } from '../util/clock.js'
import type { Clock } from '../util/clock.js'
import { TfcApiError, TfcConnectionError, apiErrorMessage } from './errors.js'
import { discardBody, fetchStream, fetchText } from './http.js'
import { createApiPace } from './api-pace.js'

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  query?: Record<string, string | number>
  body?: unknown
  /** Statuses returned to the caller instead of thrown (e.g. [204, 307, 404]). */
  accept?: number[]
  /** The body as text instead of JSON (e.g. a policy check's output). */
  text?: boolean
}

export interface ApiResponse<T> {
  status: number
  /** Parsed JSON body (the text with `text`); undefined for empty bodies (204, 307). */
  body: T | undefined
  /** Absolute `Location` for redirects (never followed automatically). */
  location?: string
}

export interface TfcClient {
  /** Origin of the API, e.g. https://app.terraform.io */
  readonly origin: string
  /**
   * Call `/api/v2<path>` with the token; retries 429/5xx/transport errors; throws TfcApiError
   * otherwise. `path` may also be an absolute URL on the API origin (pagination links).
   */
  api<T = unknown>(path: string, options?: ApiRequestOptions): Promise<ApiResponse<T>>
  /**
   * GET `/api/v2<path>` with the token, the body left to the caller to stream (JSON plans served
   * inline can be hundreds of MB); redirects are returned, not followed. Retries like api();
   * throws TfcApiError for other statuses than 2xx and `accept`.
   */
  apiDownload(path: string, options?: DownloadOptions): Promise<Response>
  /** GET an absolute URL that carries its own secret (archivist, log-read-url, downloads): never sends the token. */
  fetchExternal(url: string, options?: DownloadOptions): Promise<Response>
}

export interface DownloadOptions {
  /** Statuses answered rather than thrown, besides 2xx. */
  accept?: number[]
  /** More request headers (a Range, say). */
  headers?: Record<string, string>
}

export interface TfcClientOptions {
  /** Web origin, e.g. `https://app.terraform.io`. */
  origin: string
  token: string
  userAgent?: string
  /** Limit for one request (default 30 s); for downloads, for the headers and for any stall. */
  timeoutMs?: number
  /** Retries after the first attempt (default 5). */
  maxRetries?: number
  /** No retry is started once a request has taken this long in all (default 2 min). */
  maxRetryElapsedMs?: number
  /** Time for retry pauses, limits and the request budget (default: the system clock). */
  clock?: Clock
  random?: () => number
  /** Cancels waits for room in the request budget. */
  signal?: AbortSignal
}

const MEDIA_TYPE = 'application/vnd.api+json'
const DEFAULT_USER_AGENT = `tfc-plan-summary/${packageJson.version}`
const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_MAX_RETRIES = 5
const DEFAULT_MAX_RETRY_ELAPSED_MS = 120_000
const BACKOFF_BASE_MS = 1000
const BACKOFF_CAP_MS = 10_000
/** Added to the server's rate-limit reset so that waiting clients do not return in lockstep. */
const RATE_LIMIT_JITTER_MS = 250
const MAX_REDIRECTS = 5
const RETRYABLE_SERVER_STATUSES = new Set([500, 502, 503, 504])
const IDEMPOTENT_METHODS = new Set(['GET', 'DELETE'])
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

interface Exchange {
  status: number
  headers: Headers
}

export function createTfcClient(options: TfcClientOptions): TfcClient {
  const origin = new URL(options.origin).origin
  const { token } = options
  if (token !== '') core.setSecret(token)
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES
  const maxRetryElapsedMs = options.maxRetryElapsedMs ?? DEFAULT_MAX_RETRY_ELAPSED_MS
  const random = options.random ?? Math.random
  const clock = options.clock ?? systemClock
  // Every API request of the step, retries included, goes through one budget (see api-pace.ts).
  const pace = createApiPace(clock, options.signal)

  /** Messages are built from server text; make sure the token can never be echoed back. */
  const scrub = (message: string): string =>
    token.length >= 4 ? message.split(token).join('***') : message

  /** Runs `attempt` until it gives an answer that is not worth retrying, within the limits. */
  async function retrying<T extends Exchange>(
    request: string,
    idempotent: boolean,
    attempt: () => Promise<T>,
    dropAnswer: (answer: T) => void,
    describeFinal: (answer: T) => string,
    unreadable: (answer: T) => boolean = () => false
  ): Promise<T> {
    const started = clock.now()
    for (let retry = 0; ; retry++) {
      let answer: T | undefined
      let failure: unknown
      try {
        answer = await attempt()
      } catch (error) {
        if (!isTransportError(error)) throw error
        if (!idempotent && !wasRefused(error)) {
          throw connectionError(request, error, retry + 1, timeoutMs)
        }
        failure = error
      }
      if (
        answer !== undefined &&
        !isRetryableStatus(answer.status, idempotent) &&
        !(idempotent && unreadable(answer))
      ) {
        return answer
      }

      const waitMs =
        (answer && serverRequestedDelayMs(answer.headers, clock, random)) ??
        backoffMs(retry, random)
      if (retry >= maxRetries || clock.now() - started + waitMs > maxRetryElapsedMs) {
        if (answer === undefined) throw connectionError(request, failure, retry + 1, timeoutMs)
        const message = `${describeFinal(answer)} (gave up after ${retry + 1} attempts)`
        dropAnswer(answer)
        throw new TfcApiError(scrub(message), answer.status)
      }
      if (answer !== undefined) dropAnswer(answer)
      const why = answer ? `HTTP ${answer.status}` : transportReason(failure, timeoutMs)
      core.debug(`${request}: ${why}; retry ${retry + 1} of ${maxRetries} in ${waitMs} ms`)
      await clock.sleep(waitMs)
    }
  }

  function apiUrl(path: string, query: ApiRequestOptions['query']): URL {
    const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(`${origin}/api/v2${path}`)
    // Also guards against a path that could change the authority.
    if (url.origin !== origin) {
      throw new Error(
        `Refusing to send the HCP Terraform token to ${url.host}: it is only for ${origin}.`
      )
    }
    for (const [name, value] of Object.entries(query ?? {}))
      url.searchParams.set(name, String(value))
    return url
  }

  return {
    origin,

    async api<T>(path: string, request: ApiRequestOptions = {}): Promise<ApiResponse<T>> {
      const method = request.method ?? 'GET'
      const url = apiUrl(path, request.query)
      const label = `${method} ${url.pathname}${url.search}`
      const init = {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: MEDIA_TYPE,
          'Content-Type': MEDIA_TYPE,
          'User-Agent': userAgent
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body)
      }
      // A success whose body is not JSON (a proxy's page, a cut answer) is read again, like a 5xx.
      const bodies = new WeakMap<object, { json: unknown } | undefined>()
      const readBody = (answer: {
        status: number
        text: string
      }): { json: unknown } | undefined => {
        if (request.text) return { json: answer.text }
        if (!bodies.has(answer)) bodies.set(answer, tryParseJson(answer.text))
        return bodies.get(answer)
      }
      const answer = await retrying(
        `${method} ${url.href}`,
        IDEMPOTENT_METHODS.has(method),
        () => pace.schedule(method, url, () => fetchText(url, init, timeoutMs)),
        () => undefined,
        ({ status, text }) =>
          isSuccess(status) ? notJsonMessage(label, status) : apiErrorMessage(label, status, text),
        candidate => isSuccess(candidate.status) && readBody(candidate) === undefined
      )
      const { status, text, headers } = answer
      const success = isSuccess(status)
      if (!success && !(request.accept ?? []).includes(status)) {
        throw new TfcApiError(scrub(apiErrorMessage(label, status, text)), status)
      }
      if (success && readBody(answer) === undefined) {
        throw new TfcApiError(notJsonMessage(label, status), status)
      }
      const location = headers.get('location')
      return {
        status,
        body: readBody(answer)?.json as T | undefined,
        ...(location === null ? {} : { location: new URL(location, url).href })
      }
    },

    async apiDownload(path: string, request: DownloadOptions = {}): Promise<Response> {
      const url = apiUrl(path, undefined)
      const label = `GET ${url.pathname}`
      const init = {
        method: 'GET',
        headers: {
          ...request.headers,
          Authorization: `Bearer ${token}`,
          Accept: MEDIA_TYPE,
          'User-Agent': userAgent
        }
      }
      const response = await retrying(
        `GET ${url.href}`,
        true,
        () => pace.schedule('GET', url, () => fetchStream(url, init, timeoutMs)),
        discardBody,
        ({ status }) => `${label}: HTTP ${status}`
      )
      if (isSuccess(response.status) || (request.accept ?? []).includes(response.status)) {
        return response
      }
      discardBody(response)
      throw new TfcApiError(`${label}: HTTP ${response.status}`, response.status)
    },

    async fetchExternal(url: string, request: DownloadOptions = {}): Promise<Response> {
      const accept = request.accept ?? []
      let target = externalUrl(url)
      for (let redirects = 0; ; redirects++) {
        // Only the host: the path and query of these URLs are their secret.
        const label = `GET ${target.protocol}//${target.host}/…`
        const response = await retrying(
          label,
          true,
          () => fetchStream(target, { method: 'GET', headers: { ...request.headers } }, timeoutMs),
          discardBody,
          ({ status }) => `${label}: HTTP ${status}`
        )
        const { status } = response
        if ((status >= 200 && status < 300) || accept.includes(status)) return response
        discardBody(response)
        const location = response.headers.get('location')
        if (!REDIRECT_STATUSES.has(status) || location === null) {
          throw new TfcApiError(`${label}: HTTP ${status}`, status)
        }
        if (redirects >= MAX_REDIRECTS) {
          throw new TfcApiError(`${label}: more than ${MAX_REDIRECTS} redirects`, status)
        }
        target = externalUrl(new URL(location, target).href)
      }
    }
  }
}

function externalUrl(url: string): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error('A download URL from HCP Terraform is not a valid URL.')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`A download URL from HCP Terraform uses ${parsed.protocol}, not http(s).`)
  }
  return parsed
}

/** The parsed body, `{ json: undefined }` for an empty one, undefined when it is not JSON. */
function tryParseJson(text: string): { json: unknown } | undefined {
  if (text.trim() === '') return { json: undefined }
  try {
    return { json: JSON.parse(text) }
  } catch {
    return undefined
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}

function notJsonMessage(label: string, status: number): string {
  return `${label}: the answer (HTTP ${status}) is not JSON.`
}

function isRetryableStatus(status: number, idempotent: boolean): boolean {
  // A 429 was not processed, so even a POST may be sent again.
  return status === 429 || (idempotent && RETRYABLE_SERVER_STATUSES.has(status))
}

/** X-RateLimit-Reset (decimal seconds, HCP Terraform) or Retry-After (seconds or a date). */
function serverRequestedDelayMs(
  headers: Headers,
  clock: Clock,
  random: () => number
): number | undefined {
  const jitter = (): number => Math.round(random() * RATE_LIMIT_JITTER_MS)
  const reset = Number.parseFloat(headers.get('x-ratelimit-reset') ?? '')
  if (Number.isFinite(reset) && reset >= 0) return Math.ceil(reset * 1000) + jitter()
  const retryAfter = headers.get('retry-after')?.trim()
  if (!retryAfter) return undefined
  const seconds = Number(retryAfter)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000) + jitter()
  const date = Date.parse(retryAfter)
  return Number.isNaN(date) ? undefined : Math.max(0, date - clock.now()) + jitter()
}

/** 1 s, 2 s, 4 s … at most 10 s, each ±25 % so that clients spread out. */
function backoffMs(retry: number, random: () => number): number {
  const base = BACKOFF_BASE_MS * 2 ** retry
  return Math.round(Math.min(BACKOFF_CAP_MS, base * (0.75 + random() * 0.5)))
}

function isTransportError(error: unknown): boolean {
  const name = (error as Error | undefined)?.name
  return name === 'AbortError' || name === 'FetchError'
}

/** Refused before anything was sent: safe to send again, whatever the method. */
function wasRefused(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === 'ECONNREFUSED'
}

function transportReason(error: unknown, timeoutMs: number): string {
  if ((error as Error | undefined)?.name === 'AbortError') {
    return `no answer within ${timeoutMs / 1000} s`
  }
  const code = (error as { code?: string } | undefined)?.code
  return code ? `connection failed (${code})` : 'connection failed'
}

function connectionError(
  request: string,
  error: unknown,
  attempts: number,
  timeoutMs: number
): TfcConnectionError {
  const tries = attempts > 1 ? ` (gave up after ${attempts} attempts)` : ''
  return new TfcConnectionError(`${request}: ${transportReason(error, timeoutMs)}${tries}`)
}
