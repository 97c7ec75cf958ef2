// Plans, reached by their own ID or through their run, and their JSON output: the full plan as a
// 307 to the archivist (admins only, once the plan is final), the redacted one inline or redirected.
import { document, jsonApiError, notFound } from './jsonapi.mjs'
import { FINAL_PLAN_STATUSES, access, advanceAfterPoll, observe, route } from './tfc-model.mjs'

/**
 * @typedef {import('./tfc-model.mjs').SimRun} SimRun
 * @typedef {import('./tfc-model.mjs').TokenRole} TokenRole
 * @typedef {import('./tfc-model.mjs').Route} Route
 * @typedef {import('./jsonapi.mjs').SimResponse} SimResponse
 */

/**
 * @typedef {object} PlanDeps
 * @property {(id: string) => SimRun | undefined} byRun
 * @property {(id: string) => SimRun | undefined} byPlan
 * @property {(body: string | Buffer, contentType: string) => string} publishTemporary
 * @property {(run: SimRun) => { id: string }[]} activeExports the run's plan exports
 */

/** @param {PlanDeps} deps @returns {Route[]} */
export function planRoutes(deps) {
  const { byRun, byPlan, publishTemporary } = deps
  /** @type {[prefix: string, find: (id: string) => SimRun | undefined][]} */
  const plansBy = [
    ['/runs/:id/plan', byRun],
    ['/plans/:id', byPlan]
  ]
  return plansBy.flatMap(([prefix, find]) => [
    route('GET', prefix, (_req, role, id) => showPlan(role, find(id))),
    route('GET', `${prefix}/json-output`, (_req, role, id) => jsonOutput(role, find(id))),
    route('GET', `${prefix}/json-output-redacted`, (_req, role, id) =>
      redactedOutput(role, find(id))
    )
  ])

  /** @param {TokenRole} role @param {SimRun | undefined} run @returns {SimResponse} */
  function showPlan(role, run) {
    if (!run || access(role, run) === 'none') return notFound()
    const response = document({ data: planResource(run, deps.activeExports(run)) })
    advanceAfterPoll(run)
    return response
  }

  /** @param {TokenRole} role @param {SimRun | undefined} run @returns {SimResponse} */
  function jsonOutput(role, run) {
    if (!run || access(role, run) !== 'admin') return notFound()
    const { plan } = observe(run)
    if (isOlderThan(run.terraformVersion, [0, 12, 0])) {
      return jsonApiError(422, 'unprocessable entity', 'JSON plans require Terraform 0.12 or later')
    }
    if (!FINAL_PLAN_STATUSES.includes(plan)) return { status: 204 }
    if (run.planJson === undefined) return notFound()
    if (run.jsonNotReadyServed < run.jsonOutputNotReadyPolls) {
      run.jsonNotReadyServed++
      return { status: 204 }
    }
    const location = publishTemporary(run.planJson, 'application/json')
    return { status: 307, headers: { location } }
  }

  /** @param {TokenRole} role @param {SimRun | undefined} run @returns {SimResponse} */
  function redactedOutput(role, run) {
    if (!run || access(role, run) === 'none') return notFound()
    if (run.redactedJson == null || isOlderThan(run.terraformVersion, [0, 15, 2])) return notFound()
    if (!FINAL_PLAN_STATUSES.includes(observe(run).plan)) return { status: 204 }
    if (run.redactedVia === 'redirect') {
      const location = publishTemporary(run.redactedJson, 'application/json')
      return { status: 307, headers: { location } }
    }
    return { status: 200, headers: { 'content-type': 'application/json' }, body: run.redactedJson }
  }
}

/**
 * The plan document; counts and changes only once it finished.
 * @param {SimRun} run @param {{ id: string }[]} exports the plan's active exports
 */
export function planResource(run, exports) {
  const { plan: status } = observe(run)
  const finished = status === 'finished'
  const started = !['pending', 'queued', 'managed_queued', 'created'].includes(status)
  const self = `/api/v2/plans/${run.planId}`
  return {
    id: run.planId,
    type: 'plans',
    attributes: {
      status,
      'has-changes': finished && run.hasChanges,
      'resource-additions': finished ? run.counts.add : 0,
      'resource-changes': finished ? run.counts.change : 0,
      'resource-destructions': finished ? run.counts.destroy : 0,
      'resource-imports': finished ? run.counts.import : 0,
      'status-timestamps': { ...run.planTimestamps },
      'execution-details': started ? run.executionDetails : null,
      'generated-configuration': false,
      'log-read-url': run.logUrl,
      'structured-run-output-enabled': run.structuredRunOutput
    },
    relationships: {
      'state-versions': { data: [] },
      exports: { data: exports.map(pe => ({ id: pe.id, type: 'plan-exports' })) }
    },
    links: {
      self,
      'json-output': `${self}/json-output`,
      'json-output-redacted': `${self}/json-output-redacted`,
      'json-schema': `${self}/json-schema`
    }
  }
}

/** @param {string} version @param {number[]} minimum */
function isOlderThan(version, minimum) {
  const parts = version.split(/[.-]/).map(Number)
  for (let i = 0; i < minimum.length; i++) {
    if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) < minimum[i]
  }
  return false
}
