// The simulator's data model shared by its resource modules: the run and workspace records the
// core keeps, token roles, the route table's shape, and the status progression of a run.
import { randomBytes } from 'node:crypto'

/**
 * @typedef {import('./server.mjs').RecordedRequest} RecordedRequest
 * @typedef {import('./jsonapi.mjs').SimResponse} SimResponse
 * @typedef {import('./tfc-plan.mjs').TerraformPlan} TerraformPlan
 * @typedef {import('./tfc-plan.mjs').PlanCounts} PlanCounts
 * @typedef {import('./tfc-post-plan.mjs').PostPlan} PostPlan
 */

/** @typedef {'admin' | 'read' | 'none'} TokenRole */

/**
 * A run status and its plan's status at one step of the progression.
 * @typedef {object} StatusStep
 * @property {string} run
 * @property {string} plan
 */

/**
 * @typedef {object} SimWorkspace
 * @property {string} id
 * @property {string} name
 * @property {string} organization
 * @property {TokenRole} [tokenRole] caps the access of every token on this workspace and its runs
 * @property {string} [createdAt]
 */

/**
 * The VCS ingress attributes of a run's configuration version.
 * @typedef {object} SimIngress
 * @property {string} commitSha
 * @property {string} branch
 * @property {number} [pullRequestNumber]
 * @property {string} identifier owner/repo
 */

/**
 * A run as the simulator keeps it (what `addRun` returns).
 * @typedef {object} SimRun
 * @property {string} id
 * @property {string} planId
 * @property {string} configurationVersionId
 * @property {string} ingressId
 * @property {string} createdById
 * @property {string} createdBy
 * @property {SimWorkspace} workspace
 * @property {string} operation
 * @property {string} source
 * @property {string} message
 * @property {number} sequence order of addition, the tie-breaker of run lists
 * @property {number} createdAt epoch ms
 * @property {number} addedAt epoch ms, the start of a timed progression
 * @property {SimIngress} [ingress]
 * @property {Buffer} [planJson] served by json-output
 * @property {TerraformPlan} [parsedPlan]
 * @property {Buffer} [redactedJson] served by json-output-redacted (encoded once, as planJson)
 * @property {'inline' | 'redirect'} redactedVia
 * @property {PlanCounts} counts
 * @property {boolean} hasChanges
 * @property {string} terraformVersion
 * @property {TokenRole} [tokenRole] caps token access on this run
 * @property {StatusStep[]} statuses
 * @property {'poll' | 'manual' | number} advance
 * @property {number} step index into `statuses`
 * @property {StatusStep} [override] set by setPlanStatus
 * @property {Record<string, string>} runTimestamps
 * @property {Record<string, string>} planTimestamps
 * @property {Record<string, string> | null} executionDetails
 * @property {boolean} structuredRunOutput
 * @property {number} jsonOutputNotReadyPolls
 * @property {number} jsonNotReadyServed
 * @property {string[]} exportStatuses
 * @property {string} logUrl the secret log URL (on the archivist)
 * @property {PostPlan} [postPlan]
 */

/**
 * Answers a request routed to it, with the `:params` of its pattern in order.
 * @callback RouteHandler
 * @param {RecordedRequest} req
 * @param {TokenRole} role
 * @param {...string} params
 * @returns {SimResponse}
 */

/** @typedef {[method: string, pattern: RegExp, handler: RouteHandler]} Route */

export const FINAL_PLAN_STATUSES = ['finished', 'errored', 'canceled', 'unreachable']
export const FINAL_RUN_STATUSES = [
  'applied',
  'planned_and_finished',
  'planned_and_saved',
  'errored',
  'canceled',
  'force_canceled',
  'discarded'
]
export const DISCARDABLE_RUN_STATUSES = [
  'planned',
  'cost_estimated',
  'policy_checked',
  'policy_override',
  'policy_soft_failed',
  'post_plan_completed',
  'post_plan_awaiting_decision',
  'pre_plan_awaiting_decision'
]
const ROLE_RANK = { none: 0, read: 1, admin: 2 }

/**
 * A route of the API: `/runs/:id`-style pattern under /api/v2, with the `:params` captured.
 * @param {string} method @param {string} pattern @param {RouteHandler} handler
 * @returns {Route}
 */
export function route(method, pattern, handler) {
  return [method, new RegExp(`^/api/v2${pattern.replace(/:[^/]+/g, '([^/]+)')}$`), handler]
}

/**
 * What a token of this role may do on a workspace or run whose access is capped.
 * @param {TokenRole} tokenRole @param {{ tokenRole?: TokenRole }} subject
 * @returns {TokenRole}
 */
export function access(tokenRole, subject) {
  const capped = subject.tokenRole ?? 'admin'
  return ROLE_RANK[capped] < ROLE_RANK[tokenRole] ? capped : tokenRole
}

// ── status progression ──────────────────────────────────────────────────────────────────────

/** The run's current statuses, recording when each was first seen. @param {SimRun} run @returns {StatusStep} */
export function observe(run) {
  const current = run.override ?? run.statuses[currentStep(run)]
  const now = new Date().toISOString()
  run.runTimestamps[`${current.run.replaceAll('_', '-')}-at`] ??= now
  run.planTimestamps[planTimestampKey(current.plan)] ??= now
  return current
}

/** @param {SimRun} run */
export function currentStep(run) {
  if (typeof run.advance === 'number') {
    return Math.min(Math.floor((Date.now() - run.addedAt) / run.advance), run.statuses.length - 1)
  }
  return run.step
}

/** A poll of the run or its plan saw the current status: move it one step on. @param {SimRun} run */
export function advanceAfterPoll(run) {
  if (run.advance === 'poll') run.step = Math.min(run.step + 1, run.statuses.length - 1)
}

/**
 * A status step from a plan status alone ('running') or a {run, plan} pair.
 * @param {string | Partial<StatusStep>} step @param {string} operation @param {boolean} hasChanges
 * @returns {StatusStep}
 */
export function normalizeStep(step, operation, hasChanges) {
  const pair = typeof step === 'string' ? { plan: step } : step
  if (!pair.plan) throw new Error(`status step needs a plan status: ${JSON.stringify(step)}`)
  return { plan: pair.plan, run: pair.run ?? runStatusFor(pair.plan, operation, hasChanges) }
}

/** @param {string} planStatus @param {string} operation @param {boolean} hasChanges */
function runStatusFor(planStatus, operation, hasChanges) {
  if (planStatus === 'finished') {
    return operation === 'plan_only' || !hasChanges ? 'planned_and_finished' : 'planned'
  }
  const byPlanStatus = {
    created: 'pending',
    pending: 'pending',
    managed_queued: 'plan_queued',
    queued: 'plan_queued',
    running: 'planning',
    errored: 'errored',
    canceled: 'canceled',
    unreachable: 'errored'
  }
  return byPlanStatus[/** @type {keyof typeof byPlanStatus} */ (planStatus)] ?? planStatus
}

/** @param {string} status */
function planTimestampKey(status) {
  const keys = { running: 'started-at', managed_queued: 'queued-at' }
  return keys[/** @type {keyof typeof keys} */ (status)] ?? `${status.replaceAll('_', '-')}-at`
}

// ── small helpers ───────────────────────────────────────────────────────────────────────────

/** @param {string | undefined} text */
export function splitList(text) {
  return (text ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(Boolean)
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** An ID like HCP Terraform's: the prefix and 16 alphanumerics. @param {string} prefix */
export function randomId(prefix) {
  return `${prefix}${randomAlphanumeric(16)}`
}

/** @param {number} length */
export function randomAlphanumeric(length) {
  return [...randomBytes(length)].map(byte => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('')
}
