// What a failed GitHub request was and what GitHub said, for messages a user can act on.
import { errorMessage } from '../util/error-message.js'

/** The HTTP status of an Octokit RequestError, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** GitHub's own words: the `message`, with a validation error's details when it has them. */
export function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data as
    { message?: unknown; errors?: unknown } | undefined
  const details = messagesOf(data?.errors)
  if (typeof data?.message === 'string') {
    return details.length > 0 ? `${data.message}: ${details.join('; ')}` : data.message
  }
  // Else the details alone, or a GraphQL answer's own errors (GraphqlResponseError).
  const errors =
    details.length > 0 ? details : messagesOf((error as { errors?: unknown } | null)?.errors)
  if (errors.length > 0) return errors.join('; ')
  return errorMessage(error)
}

function messagesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return []
  return list
    .map(item => (item as { message?: unknown } | null)?.message)
    .filter((message): message is string => typeof message === 'string')
}

export function isRateLimit(error: unknown): boolean {
  return /rate limit/i.test(githubMessage(error))
}

/**
 * The request asked and GitHub's answer: `GET /repos/o/r/pulls/7 answered 404 "Not Found"`, or
 * `GraphQL minimizeComment failed: <GitHub's errors>` for an answer with GraphQL errors.
 */
export function describeFailure(error: unknown): string {
  const request = (
    error as { request?: { method?: unknown; url?: unknown; query?: unknown } } | null
  )?.request
  const status = statusOf(error)
  let asked = 'the request'
  if (typeof request?.method === 'string' && typeof request.url === 'string') {
    asked = `${request.method} ${pathOf(request.url)}`
  } else if (typeof request?.query === 'string') {
    asked = `GraphQL ${/\{\s*(\w+)/.exec(request.query)?.[1] ?? 'query'}`
  }
  return status === undefined
    ? `${asked} failed: ${githubMessage(error)}`
    : `${asked} answered ${status} "${githubMessage(error)}"`
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname
  } catch {
    return url
  }
}
