// Configuration versions and their VCS ingress attributes (commit, branch, pull request), one
// per run.
import { document, notFound } from './jsonapi.mjs'
import { access, route } from './tfc-model.mjs'

/**
 * @typedef {import('./tfc-model.mjs').SimRun} SimRun
 * @typedef {import('./tfc-model.mjs').SimIngress} SimIngress
 * @typedef {import('./tfc-model.mjs').Route} Route
 */

/** @param {{ runs: Map<string, SimRun> }} deps @returns {Route[]} */
export function configurationVersionRoutes({ runs }) {
  /** @param {string} id */
  const runOf = id => [...runs.values()].find(run => run.configurationVersionId === id)
  return [
    route('GET', '/configuration-versions/:id', (_req, role, id) => {
      const run = runOf(id)
      if (!run || access(role, run) === 'none') return notFound()
      return document({ data: configurationVersionResource(run) })
    }),
    route('GET', '/configuration-versions/:id/ingress-attributes', (_req, role, id) => {
      const run = runOf(id)
      if (!run?.ingress || access(role, run) === 'none') return notFound()
      return document({ data: ingressResource(run, run.ingress) })
    })
  ]
}

/** @param {SimRun} run */
export function configurationVersionResource(run) {
  const ingress = run.ingress
    ? {
        data: { id: run.ingressId, type: 'ingress-attributes' },
        links: {
          related: `/api/v2/configuration-versions/${run.configurationVersionId}/ingress-attributes`
        }
      }
    : { data: null }
  return {
    id: run.configurationVersionId,
    type: 'configuration-versions',
    attributes: {
      source: run.ingress ? 'github' : 'tfe-api',
      speculative: run.operation === 'plan_only',
      status: 'uploaded'
    },
    relationships: { 'ingress-attributes': ingress },
    links: { self: `/api/v2/configuration-versions/${run.configurationVersionId}` }
  }
}

/** @param {SimRun} run @param {SimIngress} ingress the run's */
export function ingressResource(run, { commitSha, branch, pullRequestNumber, identifier }) {
  const repoUrl = `https://github.com/${identifier}`
  return {
    id: run.ingressId,
    type: 'ingress-attributes',
    attributes: {
      branch,
      'clone-url': `${repoUrl}.git`,
      'commit-message': run.message,
      'commit-sha': commitSha,
      'commit-url': `${repoUrl}/commit/${commitSha}`,
      identifier,
      'is-pull-request': pullRequestNumber !== undefined,
      'on-default-branch': pullRequestNumber === undefined && branch === 'main',
      'pull-request-number': pullRequestNumber ?? null,
      'pull-request-url':
        pullRequestNumber === undefined ? null : `${repoUrl}/pull/${pullRequestNumber}`,
      'sender-username': run.createdBy
    },
    links: {
      self: `/api/v2/configuration-versions/${run.configurationVersionId}/ingress-attributes`
    }
  }
}
