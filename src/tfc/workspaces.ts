// Workspace names (with * wildcards) → workspace IDs, in the order the user gave them.
import type { JsonApiDocument, JsonApiResource } from './api-types.js'
import type { ApiResponse, TfcClient } from './client.js'
import { listedResources, nextPage, stringAttribute } from './jsonapi.js'

export interface WorkspaceRef {
  name: string
  id: string
}

const WORKSPACE_PAGE_SIZE = 100
/** 100 pages of 100 workspaces: beyond that, a pattern is too broad to be meant. */
const MAX_WORKSPACE_PAGES = 100

export class WorkspaceResolutionError extends Error {
  override name = 'WorkspaceResolutionError'
}

/** `*` matches any run of characters; everything else is literal. */
export function wildcardMatcher(pattern: string): (name: string) => boolean {
  const source = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  const regex = new RegExp(`^${source}$`)
  return name => regex.test(name)
}

/**
 * Resolves every name or pattern; wildcard matches are sorted by name and a workspace named twice
 * is kept once, where it first appears. Throws one error listing every name that resolves to nothing.
 */
export async function resolveWorkspaces(
  client: TfcClient,
  organization: string,
  namesOrPatterns: string[]
): Promise<WorkspaceRef[]> {
  const resolved: WorkspaceRef[] = []
  const problems: string[] = []
  for (const entry of namesOrPatterns) {
    const matches = entry.includes('*')
      ? await findByPattern(client, organization, entry)
      : await findByName(client, organization, entry)
    if (matches.length === 0) {
      problems.push(
        entry.includes('*')
          ? `no workspace matches "${entry}"`
          : `workspace "${entry}" was not found (or the token may not read it)`
      )
    }
    for (const match of matches) {
      if (!resolved.some(known => known.id === match.id)) resolved.push(match)
    }
  }
  if (problems.length > 0) {
    throw new WorkspaceResolutionError(`In organization "${organization}": ${problems.join('; ')}.`)
  }
  return resolved
}

async function findByName(
  client: TfcClient,
  organization: string,
  name: string
): Promise<WorkspaceRef[]> {
  const response = await client.api<JsonApiDocument>(
    `/organizations/${encodeURIComponent(organization)}/workspaces/${encodeURIComponent(name)}`,
    { accept: [404] }
  )
  if (response.status === 404 || !response.body) return []
  const workspace = response.body.data as JsonApiResource
  return [{ name: stringAttribute(workspace, 'name') ?? name, id: workspace.id }]
}

async function findByPattern(
  client: TfcClient,
  organization: string,
  pattern: string
): Promise<WorkspaceRef[]> {
  const matches = wildcardMatcher(pattern)
  // The server's wildcard search knows prefix, suffix and substring patterns only; other
  // patterns list every workspace. Matching locally as well covers servers that ignore it.
  const search: Record<string, string> = /^\*?[^*]+\*?$/.test(pattern)
    ? { 'search[wildcard-name]': pattern }
    : {}
  const found: WorkspaceRef[] = []
  let page: number | null | undefined = 1
  for (let pagesRead = 0; page && pagesRead < MAX_WORKSPACE_PAGES; pagesRead++) {
    const response: ApiResponse<JsonApiDocument> = await client.api<JsonApiDocument>(
      `/organizations/${encodeURIComponent(organization)}/workspaces`,
      { query: { ...search, 'page[number]': page, 'page[size]': WORKSPACE_PAGE_SIZE } }
    )
    for (const workspace of listedResources(response.body)) {
      const name = stringAttribute(workspace, 'name')
      if (name !== undefined && matches(name)) found.push({ name, id: workspace.id })
    }
    page = nextPage(response.body)
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
