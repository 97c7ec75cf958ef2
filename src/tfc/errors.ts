// Errors from HCP Terraform, with messages a user can act on and that never carry secrets.

/** An HTTP answer that is neither a success nor a status the caller said it handles. */
export class TfcApiError extends Error {
  override name = 'TfcApiError'
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

/** No HTTP answer at all (refused, reset, timed out), after the retries. */
export class TfcConnectionError extends Error {
  override name = 'TfcConnectionError'
}

const MAX_DETAIL_CHARS = 300
const MAX_EXCERPT_CHARS = 200
/** Enough of an error page to find its message, without scanning megabytes of markup. */
const MAX_SCANNED_CHARS = 64 * 1024

/** What a status means for someone running the action, in HCP Terraform's own terms. */
function explainStatus(status: number): string {
  switch (status) {
    case 401:
      return 'the token is wrong or expired (401) — check the `token` input / TF_API_TOKEN'
    case 403:
      return 'forbidden (403) — the token is not allowed to do this'
    case 404:
      return 'not found, or the token may not see it (HCP Terraform answers 404 when a token lacks permission)'
    case 409:
      return 'conflict (409) — the object is not in a state that allows this'
    case 422:
      return 'the request was rejected as invalid (422)'
    case 429:
      return 'rate limited (429) — too many requests, even after waiting'
    default:
      return status >= 500 ? `server error (${status})` : `unexpected HTTP status ${status}`
  }
}

/**
 * The readable part of an error body: the JSON:API `errors` (objects with string or numeric
 * `status`, or plain strings), else a short tag-free excerpt (proxies answer with HTML pages).
 */
function describeErrorBody(body: string): string | undefined {
  const trimmed = body.trim()
  if (trimmed === '') return undefined
  const fromDocument = jsonApiErrors(trimmed)
  if (fromDocument !== undefined) return truncate(fromDocument, MAX_DETAIL_CHARS)
  const text = redactUrls(
    trimmed
      .slice(0, MAX_SCANNED_CHARS)
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  )
  return text === '' ? undefined : truncate(text, MAX_EXCERPT_CHARS)
}

function jsonApiErrors(body: string): string | undefined {
  let document: unknown
  try {
    document = JSON.parse(body)
  } catch {
    return undefined
  }
  const errors = (document as { errors?: unknown } | null)?.errors
  if (!Array.isArray(errors)) return undefined
  const parts = errors.flatMap(describeOneError)
  return parts.length > 0 ? redactUrls([...new Set(parts)].join('; ')) : undefined
}

function describeOneError(error: unknown): string[] {
  if (typeof error === 'string') return error.trim() === '' ? [] : [error.trim()]
  if (typeof error !== 'object' || error === null) return []
  const { title, detail } = error as { title?: unknown; detail?: unknown }
  const texts = [title, detail].filter(
    (text): text is string => typeof text === 'string' && text.trim() !== ''
  )
  // The title often only repeats the status ("not found"); the detail says more.
  if (texts.length === 2 && texts[1].toLowerCase().includes(texts[0].toLowerCase())) {
    return [texts[1]]
  }
  return texts.length > 0 ? [texts.join(': ')] : []
}

/** `https://host/…` instead of a full URL: temporary URLs carry secrets in their path or query. */
function redactUrls(text: string): string {
  return text.replace(/\b(https?:\/\/[^\s/?#"'<>]+)[^\s"'<>]*/gi, (url, origin: string) =>
    url === origin ? origin : `${origin}/…`
  )
}

/** Only the host of a URL, for messages about secret URLs. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'an invalid URL'
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** `GET /runs/run-1: not found, or … HCP Terraform said: "…"` */
export function apiErrorMessage(request: string, status: number, body: string): string {
  const detail = describeErrorBody(body)
  const said = detail === undefined ? '' : ` HCP Terraform said: "${detail}"`
  return `${request}: ${explainStatus(status)}.${said}`
}
