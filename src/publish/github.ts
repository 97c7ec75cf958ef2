// The one GitHub REST client of the action: Octokit with bounded retries and rate-limit handling.
import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck'

export type GitHub = ReturnType<typeof getOctokit>

export interface GitHubClientOptions {
  token: string
  /** REST API root: GITHUB_API_URL, e.g. `https://api.github.com` or `https://ghes.example/api/v3`. */
  baseUrl: string
  /** Retries of a request that failed with 5xx or a network error. Default 3. */
  retries?: number
  /**
   * Milliseconds per second of waiting: of a server's retry-after, of the retry backoff (1, 4, 9...
   * seconds) and of the pauses between writes. Default 1000; tests shrink it.
   */
  waitUnitMs?: number
}

/** Rate-limit waits longer than this fail the request instead: a job should not idle for an hour. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 60
const MAX_RATE_LIMIT_RETRIES = 3
/** plugin-retry's list plus 429. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451]

export function createGitHubClient(options: GitHubClientOptions): GitHub {
  const { token, baseUrl, retries = 3, waitUnitMs = 1000 } = options
  return getOctokit(
    token,
    {
      baseUrl,
      // The toolkit's proxy-aware fetch is set up for GITHUB_API_URL; anywhere else (a simulator
      // on loopback) plain fetch must not be sent through a proxy.
      ...(baseUrl === defaults.baseUrl ? {} : { request: { fetch: globalThis.fetch } }),
      log: {
        debug: (message: string) => core.debug(message),
        info: (message: string) => core.debug(message),
        warn: (message: string) => core.warning(message),
        error: (message: string) => core.error(message)
      },
      // Rate limits (403 and 429) are the throttling plugin's: it reads retry-after, and two
      // plugins retrying the same answer would multiply the attempts.
      retry: { retries, retryAfterBaseValue: waitUnitMs, doNotRetry: DO_NOT_RETRY },
      throttle: {
        retryAfterBaseValue: waitUnitMs,
        // GitHub asks for pauses between writes (octokit's defaults: 1 s, and 3 s between writes
        // that notify people, such as new comments); own groups let waitUnitMs scale them.
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: waitUnitMs }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * waitUnitMs }),
        onRateLimit: (retryAfter, request, _octokit, retryCount) =>
          retryAfterRateLimit('rate limit', retryAfter, request, retryCount),
        onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) =>
          retryAfterRateLimit('secondary rate limit', retryAfter, request, retryCount)
      }
    },
    retry,
    throttling
  )
}

/** Warns, and tells the throttling plugin whether to try the request again. */
function retryAfterRateLimit(
  limit: string,
  retryAfter: number,
  request: { method: string; url: string },
  retryCount: number
): boolean {
  const retrying = retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS
  core.warning(
    `GitHub ${limit} hit by ${request.method} ${request.url}; ` +
      (retrying ? `retrying in ${retryAfter}s.` : 'giving up.')
  )
  return retrying
}
