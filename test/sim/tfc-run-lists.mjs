// Run lists of a workspace and of an organization, with HCP Terraform's filters, searches and
// includes, newest first, and (optionally) its rate limit of 30 list requests a minute. An older
// Terraform Enterprise without the organization run list answers 404 to it (`organizationRunList`).
import { document, notFound, paginate, rateLimited } from './jsonapi.mjs'
import { configurationVersionResource, ingressResource } from './tfc-configuration-versions.mjs'
import {
  DISCARDABLE_RUN_STATUSES,
  FINAL_RUN_STATUSES,
  access,
  advanceAfterPoll,
  observe,
  route,
  splitList
} from './tfc-model.mjs'
import { planResource } from './tfc-plans.mjs'
import { organizationExists } from './tfc-workspaces.mjs'

/**
 * @typedef {import('./tfc-model.mjs').SimRun} SimRun
 * @typedef {import('./tfc-model.mjs').SimWorkspace} SimWorkspace
 * @typedef {import('./tfc-model.mjs').TokenRole} TokenRole
 * @typedef {import('./tfc-model.mjs').Route} Route
 * @typedef {import('./jsonapi.mjs').SimResponse} SimResponse
 */

const LIST_LIMIT_PER_MINUTE = 30

/**
 * @param {{ apiUrl: string, runs: Map<string, SimRun>, workspaces: Map<string, SimWorkspace>,
 *   listRateLimit: boolean, organizationRunList: boolean, runResource: (run: SimRun) => object,
 *   activeExports: (run: SimRun) => { id: string }[] }} deps
 */
export function createRunLists({
  apiUrl,
  runs,
  workspaces,
  listRateLimit,
  organizationRunList,
  runResource,
  activeExports
}) {
  /** @type {number[]} */
  const listRequestTimes = []

  /** @type {Route[]} */
  const routes = [
    route('GET', '/workspaces/:id/runs', (req, role, workspaceId) => {
      const limited = countListRequest()
      if (limited) return limited
      const workspace = workspaces.get(workspaceId)
      if (!workspace || access(role, workspace) === 'none') return notFound()
      const matching = filterRuns(req.query, role).filter(run => run.workspace === workspace)
      return listDocument(matching, req)
    }),
    route('GET', '/organizations/:org/runs', (req, role, organization) => {
      if (!organizationRunList) return notFound()
      const limited = countListRequest()
      if (limited) return limited
      if (!organizationExists(workspaces, organization)) return notFound()
      const names = splitList(req.query['filter[workspace_names]'])
      const matching = filterRuns(req.query, role).filter(
        run =>
          run.workspace.organization === organization &&
          (names.length === 0 || names.includes(run.workspace.name))
      )
      return listDocument(matching, req)
    })
  ]

  /**
   * A page of runs with the related resources HCP Terraform's run lists can include.
   * @param {SimRun[]} matching @param {import('./server.mjs').RecordedRequest} req
   */
  function listDocument(matching, req) {
    const page = paginate(matching.map(runResource), req, apiUrl)
    const includes = splitList(req.query.include)
    const listed = new Set(page.data.map(run => /** @type {{ id: string }} */ (run).id))
    const shown = matching.filter(run => listed.has(run.id))
    const included = shown.flatMap(run => [
      ...(includes.includes('plan') ? [planResource(run, activeExports(run))] : []),
      ...(includes.some(name => name.startsWith('configuration_version'))
        ? [configurationVersionResource(run)]
        : []),
      ...(includes.includes('configuration_version.ingress_attributes') && run.ingress
        ? [ingressResource(run, run.ingress)]
        : [])
    ])
    // A list that shows a run's status is a poll of it, as a GET of the run is.
    for (const run of shown) advanceAfterPoll(run)
    return document(includes.length > 0 ? { ...page, included } : page)
  }

  /** @returns {SimResponse | undefined} a 429 when the run-list rate limit is exceeded */
  function countListRequest() {
    const now = Date.now()
    listRequestTimes.push(now)
    if (!listRateLimit) return undefined
    const recent = listRequestTimes.filter(time => time > now - 60_000)
    if (recent.length <= LIST_LIMIT_PER_MINUTE) return undefined
    const resetSeconds = (recent[recent.length - LIST_LIMIT_PER_MINUTE - 1] + 60_000 - now) / 1000
    return rateLimited(resetSeconds.toFixed(3))
  }

  /** @param {Record<string, string>} query @param {TokenRole} role */
  function filterRuns(query, role) {
    const operations = splitList(query['filter[operation]'])
    const statuses = splitList(query['filter[status]'])
    const sources = splitList(query['filter[source]'])
    const group = query['filter[status_group]']
    const commit = query['search[commit]']
    const user = query['search[user]']
    const basic = query['search[basic]']?.toLowerCase()
    return [...runs.values()]
      .filter(run => access(role, run) !== 'none')
      .filter(run =>
        operations.length > 0 ? operations.includes(run.operation) : run.operation !== 'plan_only'
      )
      .filter(run => statuses.length === 0 || statuses.includes(observe(run).run))
      .filter(run => sources.length === 0 || sources.includes(run.source))
      .filter(run => !group || inStatusGroup(observe(run).run, group))
      .filter(run => !commit || run.ingress?.commitSha === commit)
      .filter(run => !user || run.createdBy === user)
      .filter(
        run =>
          !basic ||
          [run.id, run.message, run.ingress?.commitSha, run.createdBy].some(text =>
            String(text ?? '')
              .toLowerCase()
              .includes(basic)
          )
      )
      .sort((a, b) => b.createdAt - a.createdAt || b.sequence - a.sequence)
  }

  return { routes, requestCount: () => listRequestTimes.length }
}

/** @param {string} status @param {string} group */
function inStatusGroup(status, group) {
  if (group === 'final') return FINAL_RUN_STATUSES.includes(status)
  if (group === 'non_final') return !FINAL_RUN_STATUSES.includes(status)
  if (group === 'discardable') return DISCARDABLE_RUN_STATUSES.includes(status)
  return false
}
