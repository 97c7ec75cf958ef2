// Plan exports (sentinel-mock-bundle-v0): created for a plan, progressing one status per GET,
// downloaded as a 302 to a .tar.gz on the archivist, deleted by the client. Admins only: the
// bundle holds unredacted values.
import { document, jsonApiError, notFound } from './jsonapi.mjs'
import { tarGz } from './tar.mjs'
import { access, randomId, route } from './tfc-model.mjs'
import { sentinelMockFiles } from './tfc-plan.mjs'

/**
 * @typedef {import('./tfc-model.mjs').SimRun} SimRun
 * @typedef {import('./tfc-model.mjs').TokenRole} TokenRole
 * @typedef {import('./tfc-model.mjs').Route} Route
 * @typedef {import('./server.mjs').RecordedRequest} RecordedRequest
 * @typedef {import('./jsonapi.mjs').SimResponse} SimResponse
 */

/**
 * @typedef {object} PlanExport
 * @property {string} id
 * @property {SimRun} run
 * @property {string} dataType
 * @property {string[]} statuses one per GET
 * @property {number} step
 * @property {boolean} deleted
 * @property {Record<string, string>} timestamps
 */

/**
 * @param {{ byPlan: (id: string) => SimRun | undefined,
 *   publishTemporary: (body: Buffer, contentType: string, suffix: string) => string }} deps
 */
export function createPlanExports({ byPlan, publishTemporary }) {
  /** @type {Map<string, PlanExport>} */
  const planExports = new Map()

  /** @type {Route[]} */
  const routes = [
    route('POST', '/plan-exports', createExport),
    route('GET', '/plan-exports/:id', showExport),
    route('GET', '/plan-exports/:id/download', downloadExport),
    route('DELETE', '/plan-exports/:id', deleteExport)
  ]

  /** @param {RecordedRequest} req @param {TokenRole} role @returns {SimResponse} */
  function createExport(req, role) {
    /** @type {{ data?: { type?: string, attributes?: Record<string, unknown>,
     *   relationships?: { plan?: { data?: { id?: string } } } } } | null} */
    let body
    try {
      body = JSON.parse(req.body)
    } catch {
      return jsonApiError(400, 'bad request', 'body is not JSON')
    }
    const data = body?.data
    const dataType = data?.attributes?.['data-type']
    const planId = data?.relationships?.plan?.data?.id
    if (data?.type !== 'plan-exports' || dataType !== 'sentinel-mock-bundle-v0' || !planId) {
      return jsonApiError(
        422,
        'invalid attribute',
        'a sentinel-mock-bundle-v0 plan export needs a plan'
      )
    }
    const run = byPlan(planId)
    if (!run || access(role, run) !== 'admin') return notFound()
    const existing = activeExports(run).find(pe => pe.dataType === dataType)
    if (existing) {
      return jsonApiError(
        422,
        'invalid attribute',
        `Plan already has an export of type ${dataType}`
      )
    }
    /** @type {PlanExport} */
    const planExport = {
      id: randomId('pe-'),
      run,
      dataType,
      statuses: run.exportStatuses,
      step: 0,
      deleted: false,
      timestamps: { 'queued-at': new Date().toISOString() }
    }
    planExports.set(planExport.id, planExport)
    return document({ data: exportResource(planExport) }, 201)
  }

  /** The run's exports that are neither deleted nor expired or errored. @param {SimRun} run */
  function activeExports(run) {
    return [...planExports.values()].filter(
      pe =>
        pe.run === run &&
        !pe.deleted &&
        ['pending', 'queued', 'finished'].includes(exportStatus(pe))
    )
  }

  /** @param {RecordedRequest} _req @param {TokenRole} role @param {string} id @returns {SimResponse} */
  function showExport(_req, role, id) {
    const planExport = adminVisibleExport(role, id)
    if (!planExport) return notFound()
    const response = document({ data: exportResource(planExport) })
    planExport.step = Math.min(planExport.step + 1, planExport.statuses.length - 1)
    return response
  }

  /** @param {RecordedRequest} _req @param {TokenRole} role @param {string} id @returns {SimResponse} */
  function downloadExport(_req, role, id) {
    const planExport = adminVisibleExport(role, id)
    if (!planExport) return notFound()
    if (exportStatus(planExport) !== 'finished') {
      return jsonApiError(404, 'not found', 'the plan export is not downloadable')
    }
    const bundle = tarGz(sentinelMockFiles(planExport.run.parsedPlan))
    const location = publishTemporary(bundle, 'application/x-gzip', '.tar.gz')
    return { status: 302, headers: { location } }
  }

  /** @param {RecordedRequest} _req @param {TokenRole} role @param {string} id @returns {SimResponse} */
  function deleteExport(_req, role, id) {
    const planExport = adminVisibleExport(role, id)
    if (!planExport) return notFound()
    planExport.deleted = true
    return { status: 204 }
  }

  /** Exports hold unredacted values: only admins see them. @param {TokenRole} role @param {string} id */
  function adminVisibleExport(role, id) {
    const planExport = planExports.get(id)
    const visible = planExport && !planExport.deleted && access(role, planExport.run) === 'admin'
    return visible ? planExport : undefined
  }

  return { routes, activeExports }
}

/** @param {PlanExport} planExport */
function exportStatus(planExport) {
  return planExport.statuses[planExport.step]
}

/** @param {PlanExport} planExport */
function exportResource(planExport) {
  const status = exportStatus(planExport)
  const self = `/api/v2/plan-exports/${planExport.id}`
  planExport.timestamps[`${status}-at`] ??= new Date().toISOString()
  return {
    id: planExport.id,
    type: 'plan-exports',
    attributes: {
      'data-type': planExport.dataType,
      status,
      'status-timestamps': { ...planExport.timestamps }
    },
    relationships: { plan: { data: { id: planExport.run.planId, type: 'plans' } } },
    links: status === 'finished' ? { self, download: `${self}/download` } : { self }
  }
}
