// The newest run of a workspace for one commit, confirmed through the VCS ingress attributes.
import type { JsonApiDocument, JsonApiResource } from './api-types.js'
import type { TfcClient } from './client.js'
import { findIncluded, listedResources, nextPage, relatedId, stringAttribute } from './jsonapi.js'

/** plan_only runs (PR speculative plans) are left out of run lists unless named here. */
export const RUN_OPERATIONS = 'plan_only,plan_and_apply,save_plan,refresh_only,destroy,empty_apply'
/** Asks run lists for each run's commit in the same answer. */
export const INGRESS_INCLUDE = 'configuration_version.ingress_attributes'
const RUNS_PAGE_SIZE = 20
/** Pages read per look-up when the server ignores search[commit]: older runs are not wanted. */
const MAX_RUN_PAGES = 3

export interface CommitRunFinder {
  /** ID of the newest run of `workspaceId` for the commit, or undefined when there is none yet. */
  find(workspaceId: string): Promise<string | undefined>
}

/** Whether a listed run planned the commit, read from the run list's `included` when it can be. */
export type CommitCheck = (run: JsonApiResource, runList: JsonApiDocument) => Promise<boolean>

/**
 * The commit of each listed run is checked, because older servers ignore search[commit]; a
 * configuration version's commit never changes, so it is asked for once.
 */
export function createCommitCheck(client: TfcClient, commitSha: string): CommitCheck {
  const wanted = commitSha.toLowerCase()
  const commitByConfigVersion = new Map<string, string | undefined>()
  return async (run, runList) => {
    const configVersionId = relatedId(run, 'configuration-version')
    if (!configVersionId) return false
    if (!commitByConfigVersion.has(configVersionId)) {
      const sha = await configVersionCommit(client, configVersionId, runList)
      commitByConfigVersion.set(configVersionId, sha?.toLowerCase())
    }
    return commitByConfigVersion.get(configVersionId) === wanted
  }
}

/** A workspace's own run list, one workspace at a time (run lists are limited to 30 a minute). */
export function createCommitRunFinder(client: TfcClient, commitSha: string): CommitRunFinder {
  const plannedCommit = createCommitCheck(client, commitSha)
  return {
    async find(workspaceId) {
      let page: number | null | undefined = 1
      for (let pagesRead = 0; page && pagesRead < MAX_RUN_PAGES; pagesRead++) {
        const response = await client.api<JsonApiDocument>(
          `/workspaces/${encodeURIComponent(workspaceId)}/runs`,
          {
            query: {
              'filter[operation]': RUN_OPERATIONS,
              'search[commit]': commitSha,
              include: INGRESS_INCLUDE,
              'page[number]': page,
              'page[size]': RUNS_PAGE_SIZE
            }
          }
        )
        // Run lists are newest first: the first run of the commit is the newest one.
        for (const run of listedResources(response.body)) {
          if (response.body && (await plannedCommit(run, response.body))) return run.id
        }
        page = nextPage(response.body)
      }
      return undefined
    }
  }
}

/** The VCS commit a run planned (its ingress attributes); undefined when it was not from VCS. */
export function runCommit(client: TfcClient, configVersionId: string): Promise<string | undefined> {
  return configVersionCommit(client, configVersionId, undefined)
}

/** The VCS commit of a configuration version; undefined when it was not made from VCS. */
async function configVersionCommit(
  client: TfcClient,
  configVersionId: string,
  runList: JsonApiDocument | undefined
): Promise<string | undefined> {
  const configVersion = findIncluded(runList, 'configuration-versions', configVersionId)
  const ingressRelation = configVersion?.relationships?.['ingress-attributes']
  if (ingressRelation && !ingressRelation.data) return undefined
  const ingressId = configVersion && relatedId(configVersion, 'ingress-attributes')
  const ingress = ingressId && findIncluded(runList, 'ingress-attributes', ingressId)
  if (ingress) return stringAttribute(ingress, 'commit-sha')
  // The server ignored `include`: ask for the ingress attributes directly.
  const response = await client.api<JsonApiDocument>(
    `/configuration-versions/${encodeURIComponent(configVersionId)}/ingress-attributes`,
    { accept: [404] }
  )
  if (response.status === 404 || !response.body) return undefined
  return stringAttribute(response.body.data as JsonApiResource, 'commit-sha')
}
