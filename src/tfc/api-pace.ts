// One request budget for the whole step, below HCP Terraform's documented limits with room left
// for the token's other clients (other jobs, the UI, scripts): every API request counts against
// 30 a second per user, and run lists (a workspace's or an organization's) also against 30 a
// minute, shared by both. Keeping below them means no request is refused with 429.
import type { Clock } from '../util/clock.js'
import { createRequestBudget } from './request-budget.js'

/** Two thirds of each limit: 20 requests a second, 20 run lists a minute. */
export const API_REQUESTS_PER_SECOND = 20
export const RUN_LISTS_PER_MINUTE = 20

const RUN_LIST_PATH = /\/api\/v2\/(workspaces|organizations)\/[^/]+\/runs$/

export interface ApiPace {
  /** Starts `call` (a request for `method` and `url`) once both budgets that apply have room. */
  schedule<T>(method: string, url: URL, call: () => Promise<T>): Promise<T>
}

/** `signal` aborts the waits for room (a cancelled step must not wait out a minute). */
export function createApiPace(clock: Clock, signal?: AbortSignal): ApiPace {
  const requests = createRequestBudget({
    limit: API_REQUESTS_PER_SECOND,
    windowMs: 1000,
    clock,
    signal
  })
  const runLists = createRequestBudget({
    limit: RUN_LISTS_PER_MINUTE,
    windowMs: 60_000,
    clock,
    signal
  })
  return {
    schedule(method, url, call) {
      const request = () => requests.schedule(call)
      return method === 'GET' && isRunList(url) ? runLists.schedule(request) : request()
    }
  }
}

/** A workspace's or an organization's run list: both share the 30-a-minute limit. */
export function isRunList(url: URL): boolean {
  return RUN_LIST_PATH.test(url.pathname)
}
