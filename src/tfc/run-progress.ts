// When a run's post-plan work is over (`wait-for: run`), from one poll of the run with its task
// stages and cost estimate. The order and statuses are those the Terraform CLI waits through.
import { isFinalPlanStatus } from './wait.js'
import type { PostPlanLinks } from './runs.js'

/** One poll's worth: a plan's status, and the run's with its post-plan links when there is a run. */
export interface ProgressSnapshot {
  planStatus: string
  runStatus?: string
  postPlan?: PostPlanLinks
}

/** Nothing more happens in this run without a person, or at all. */
const FINAL_RUN_STATUSES = new Set([
  'planned_and_finished',
  'planned_and_saved',
  'policy_soft_failed',
  'errored',
  'canceled',
  'force_canceled',
  'discarded',
  'applied',
  'post_plan_awaiting_decision',
  'pre_plan_awaiting_decision',
  'policy_override'
])
/** Pauses before confirmation of a run that can be applied: over once nothing is pending. */
const CONFIRMATION_PAUSES = new Set([
  'planned',
  'cost_estimated',
  'policy_checked',
  'post_plan_completed'
])
/** The run has not finished planning yet. */
const BEFORE_PLAN_OVER = [
  'pending',
  'fetching',
  'fetching_completed',
  'pre_plan_running',
  'pre_plan_completed',
  'queuing',
  'plan_queued',
  'planning'
]
const PLANNING = new Set(BEFORE_PLAN_OVER)
const IN_PROGRESS = new Set([
  ...BEFORE_PLAN_OVER,
  'post_plan_running',
  'cost_estimating',
  'policy_checking',
  'confirmed',
  'apply_queued',
  'applying'
])
/** The run ended without a plan: waiting for the plan would only run into the timeout. */
const STOPPED_BEFORE_PLANNING = new Set([
  'pre_plan_awaiting_decision',
  'errored',
  'canceled',
  'force_canceled',
  'discarded'
])
const TASK_STAGE_GOING = new Set(['pending', 'running'])
const COST_ESTIMATE_GOING = new Set(['pending', 'queued'])

export function isKnownRunStatus(status: string): boolean {
  return (
    FINAL_RUN_STATUSES.has(status) || CONFIRMATION_PAUSES.has(status) || IN_PROGRESS.has(status)
  )
}

/** The run stopped before its plan could start (a failed mandatory pre-plan task, say). */
export function stoppedBeforePlanning(snapshot: ProgressSnapshot): boolean {
  return (
    !isFinalPlanStatus(snapshot.planStatus) &&
    snapshot.runStatus !== undefined &&
    STOPPED_BEFORE_PLANNING.has(snapshot.runStatus)
  )
}

/** From the run status alone (a run list that did not include the plan): the plan may be over. */
export function planMayBeOver(runStatus: string): boolean {
  return !PLANNING.has(runStatus)
}

/** `wait-for: plan`: the plan is final, or the run stopped before planning. */
export function isPlanOver(snapshot: ProgressSnapshot): boolean {
  return isFinalPlanStatus(snapshot.planStatus) || stoppedBeforePlanning(snapshot)
}

/** `wait-for: run`: the run's post-plan work is over (plans without a run: the plan is final). */
export function isRunOver(snapshot: ProgressSnapshot): boolean {
  if (snapshot.runStatus === undefined) return isFinalPlanStatus(snapshot.planStatus)
  if (stoppedBeforePlanning(snapshot)) return true
  if (!isFinalPlanStatus(snapshot.planStatus)) return false
  // A plan that errored or was canceled has no post-plan work.
  if (snapshot.planStatus !== 'finished') return true
  if (FINAL_RUN_STATUSES.has(snapshot.runStatus)) return true
  if (!CONFIRMATION_PAUSES.has(snapshot.runStatus)) return false
  return pendingWork(snapshot).length === 0
}

/**
 * Post-plan work still to come, by what the run document includes. (Policy checks are not
 * included in it: while one runs the run status says policy_checking.)
 */
export function pendingWork(snapshot: ProgressSnapshot): string[] {
  const links = snapshot.postPlan
  if (!links) return []
  const stages = (links.taskStages ?? [])
    .filter(stage => TASK_STAGE_GOING.has(stage.status))
    .map(stage => `${stage.stage} run tasks`)
  const cost =
    links.costEstimate && COST_ESTIMATE_GOING.has(links.costEstimate.status)
      ? ['the cost estimate']
      : []
  return [...stages, ...cost]
}
