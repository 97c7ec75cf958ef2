// Applies: `GET /applies/:id` and `GET /runs/:id/apply`, whose status follows the run's (confirmed
// → apply_queued → applying → applied or errored; discarded runs never apply), with HCP
// Terraform's counts and the apply's log on the archivist.
import { document, notFound } from './jsonapi.mjs'
import { access, observe, route } from './tfc-model.mjs'

/**
 * @typedef {import('./tfc-model.mjs').SimRun} SimRun
 * @typedef {import('./tfc-model.mjs').Route} Route
 */

/** The apply's status for each run status of the apply stage; others leave it pending. */
const APPLY_STATUS_OF_RUN = {
  confirmed: 'pending',
  apply_queued: 'queued',
  pre_apply_running: 'queued',
  applying: 'running',
  post_apply_running: 'finished',
  post_apply_completed: 'finished',
  applied: 'finished',
  discarded: 'unreachable'
}

/**
 * @param {{ byRun: (id: string) => SimRun | undefined, allRuns: () => Iterable<SimRun> }} deps
 * @returns {Route[]}
 */
export function applyRoutes({ byRun, allRuns }) {
  const byApply = (/** @type {string} */ id) => [...allRuns()].find(run => run.applyId === id)
  return [
    route('GET', '/applies/:id', (_req, role, id) => showApply(role, byApply(id))),
    route('GET', '/runs/:id/apply', (_req, role, id) => showApply(role, byRun(id)))
  ]

  /** @param {import('./tfc-model.mjs').TokenRole} role @param {SimRun | undefined} run */
  function showApply(role, run) {
    if (!run || access(role, run) === 'none') return notFound()
    return document({ data: applyResource(run) })
  }
}

/** @param {SimRun} run */
export function applyStatus(run) {
  const { run: runStatus, plan } = observe(run)
  if (runStatus === 'errored' || runStatus === 'canceled' || runStatus === 'force_canceled') {
    // A run that failed before its plan finished never reached the apply.
    return plan === 'finished' ? (runStatus === 'errored' ? 'errored' : 'canceled') : 'unreachable'
  }
  return (
    APPLY_STATUS_OF_RUN[/** @type {keyof typeof APPLY_STATUS_OF_RUN} */ (runStatus)] ?? 'pending'
  )
}

/** @param {SimRun} run */
export function applyResource(run) {
  const status = applyStatus(run)
  const ran = status === 'finished' || status === 'errored' || status === 'canceled'
  const counts = ran ? run.applyCounts : { add: 0, change: 0, destroy: 0, import: 0 }
  return {
    id: run.applyId,
    type: 'applies',
    attributes: {
      status,
      'status-timestamps': {},
      'execution-details': run.executionDetails,
      'log-read-url': status === 'pending' || status === 'unreachable' ? null : run.applyLogUrl,
      'resource-additions': counts.add,
      'resource-changes': counts.change,
      'resource-destructions': counts.destroy,
      'resource-imports': counts.import
    },
    relationships: { 'state-versions': { data: [] } },
    links: { self: `/api/v2/applies/${run.applyId}` }
  }
}
