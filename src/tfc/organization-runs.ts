// The organization run list: the newest run of one commit in up to 100 workspaces per request,
// with its run and plan status, instead of one run list per workspace (run lists are limited to
// 30 a minute). Older Terraform Enterprise releases lack it.
import type { JsonApiDocument } from './api-types.js'
import type { TfcClient } from './client.js'
import type { CommitCheck } from './commit-runs.js'
import { INGRESS_INCLUDE, RUN_OPERATIONS } from './commit-runs.js'
import { findIncluded, listedResources, nextPage, relatedId, stringAttribute } from './jsonapi.js'
import type { WorkspaceRef } from './workspaces.js'

export interface ListedRun {
  runId: string
  workspaceId: string
  runStatus: string
  /** Undefined when the server did not include the plan. */
  planStatus?: string
}

/** Names in one `filter[workspace_names]`, and runs in one page: the API's largest page. */
const WORKSPACES_PER_REQUEST = 100
const PAGE_SIZE = 100
/** Pages read per 100 workspaces: several runs of one commit per workspace are rare. */
const MAX_PAGES = 3
/** What an older server without the organization run list answers. */
const NOT_SUPPORTED = [400, 404]

/**
 * The newest run of the commit in each of `workspaces` that has one, by workspace ID; undefined
 * when the server has no organization run list.
 */
export async function newestCommitRuns(
  client: TfcClient,
  organization: string,
  workspaces: WorkspaceRef[],
  commitSha: string,
  plannedCommit: CommitCheck
): Promise<Map<string, ListedRun> | undefined> {
  const newest = new Map<string, ListedRun>()
  for (let first = 0; first < workspaces.length; first += WORKSPACES_PER_REQUEST) {
    const chunk = workspaces.slice(first, first + WORKSPACES_PER_REQUEST)
    const wanted = new Set(chunk.map(workspace => workspace.id))
    let page: number | null | undefined = 1
    for (let pagesRead = 0; page && pagesRead < MAX_PAGES; pagesRead++) {
      const response = await client.api<JsonApiDocument>(
        `/organizations/${encodeURIComponent(organization)}/runs`,
        {
          query: {
            'filter[workspace_names]': chunk.map(workspace => workspace.name).join(','),
            'filter[operation]': RUN_OPERATIONS,
            'search[commit]': commitSha,
            include: `plan,${INGRESS_INCLUDE}`,
            'page[number]': page,
            'page[size]': PAGE_SIZE
          },
          accept: NOT_SUPPORTED
        }
      )
      const list = response.body
      if (NOT_SUPPORTED.includes(response.status) || !list) return undefined
      // Newest first: the first run of the commit in a workspace is its newest one.
      for (const run of listedResources(list)) {
        const workspaceId = relatedId(run, 'workspace')
        if (!workspaceId || !wanted.has(workspaceId) || newest.has(workspaceId)) continue
        if (!(await plannedCommit(run, list))) continue
        const planId = relatedId(run, 'plan')
        const plan = planId === undefined ? undefined : findIncluded(list, 'plans', planId)
        newest.set(workspaceId, {
          runId: run.id,
          workspaceId,
          runStatus: stringAttribute(run, 'status') ?? 'unknown',
          planStatus: plan && stringAttribute(plan, 'status')
        })
      }
      if (chunk.every(workspace => newest.has(workspace.id))) break
      page = nextPage(list)
    }
  }
  return newest
}
