// The run-list requests of a simulated HCP Terraform: what discovery asks for, and how fast.
import type { RecordedRequest } from '../../test/sim/tfc.mjs'

const RUN_LIST = /^\/api\/v2\/(workspaces|organizations)\/[^/]+\/runs$/

/** A request for a workspace's or an organization's run list (both share one limit). */
export const isRunList = (request: RecordedRequest): boolean => RUN_LIST.test(request.path)

export const listRequests = (requests: RecordedRequest[]): RecordedRequest[] =>
  requests.filter(isRunList)

/** The most run-list requests in any 60 s. */
export function busiestMinute(requests: RecordedRequest[]): number {
  const times = listRequests(requests).map(request => request.at)
  return Math.max(
    0,
    ...times.map(start => times.filter(t => t >= start && t < start + 60_000).length)
  )
}
