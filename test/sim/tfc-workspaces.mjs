// Workspaces: shown by ID or by organization and name, listed per organization with the name
// search and wildcard filters.
import { document, notFound, paginate } from './jsonapi.mjs'
import { access, route } from './tfc-model.mjs'

/**
 * @typedef {import('./tfc-model.mjs').SimWorkspace} SimWorkspace
 * @typedef {import('./tfc-model.mjs').Route} Route
 */

/**
 * @param {{ apiUrl: string, workspaces: Map<string, SimWorkspace> }} deps
 * @returns {Route[]}
 */
export function workspaceRoutes({ apiUrl, workspaces }) {
  return [
    route('GET', '/workspaces/:id', (_req, role, id) => {
      const workspace = workspaces.get(id)
      if (!workspace || access(role, workspace) === 'none') return notFound()
      return document({ data: workspaceResource(workspace) })
    }),
    route('GET', '/organizations/:org/workspaces', (req, role, organization) => {
      if (!organizationExists(workspaces, organization)) return notFound()
      const search = req.query['search[name]']?.toLowerCase()
      const wildcard = req.query['search[wildcard-name]']
      const pattern = wildcard ? wildcardPattern(wildcard) : undefined
      const matching = [...workspaces.values()]
        .filter(ws => ws.organization === organization && access(role, ws) !== 'none')
        .filter(ws => !search || ws.name.toLowerCase().includes(search))
        .filter(ws => !pattern || pattern.test(ws.name))
        .sort((a, b) => a.name.localeCompare(b.name))
      return document(paginate(matching.map(workspaceResource), req, apiUrl))
    }),
    route('GET', '/organizations/:org/workspaces/:name', (_req, role, org, name) => {
      const workspace = [...workspaces.values()].find(
        ws => ws.organization === org && ws.name === name
      )
      if (!workspace || access(role, workspace) === 'none') return notFound()
      return document({ data: workspaceResource(workspace) })
    })
  ]
}

/** An organization exists while it has a workspace. @param {Map<string, SimWorkspace>} workspaces @param {string} organization */
export function organizationExists(workspaces, organization) {
  return [...workspaces.values()].some(ws => ws.organization === organization)
}

/** @param {SimWorkspace} workspace */
export function workspaceResource(workspace) {
  const { organization, name } = workspace
  return {
    id: workspace.id,
    type: 'workspaces',
    attributes: {
      name,
      environment: 'default',
      'execution-mode': 'remote',
      'structured-run-output-enabled': true,
      'terraform-version': '1.9.5',
      'created-at': workspace.createdAt
    },
    relationships: { organization: { data: { id: organization, type: 'organizations' } } },
    links: {
      self: `/api/v2/organizations/${organization}/workspaces/${name}`,
      'self-html': `/app/${organization}/workspaces/${name}`
    }
  }
}

/** @param {string} wildcard e.g. `app-*`, `*-prod`, `*net*` */
function wildcardPattern(wildcard) {
  const escaped = wildcard.split('*').map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${escaped.join('.*')}$`)
}
