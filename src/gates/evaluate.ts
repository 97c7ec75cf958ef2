// fail-on, protect and the cost limit, evaluated in one place: each condition is answered by the
// room of its source (the plan, or what HCP Terraform decided about the run).
import type { PlanModel } from '../plan/model.js'
import type { FailCondition, GateTrip } from '../result.js'
import type { RunChecks } from '../run/checks.js'
import type { PlanCondition } from './plan.js'
import { PLAN_CONDITIONS, protectedAtRisk } from './plan.js'
import type { RunCondition } from './run.js'
import { costTrip, runConditionTrip, runErroredTrip } from './run.js'
import type { ApplyReport } from '../run/apply.js'
import { applyErroredTrip, unappliedTrip } from './apply.js'

/** What HCP Terraform decided after the plan, when the action waited for it. */
export interface RunGateInput {
  checks?: RunChecks
  maxMonthlyCostIncrease?: string
  /** The apply, with `wait-for: apply`. */
  apply?: ApplyReport
}

const RUN_CONDITIONS: readonly string[] = [
  'policy',
  'advisory',
  'run-task'
] satisfies RunCondition[]

/**
 * The gates that trip, in the order of `failOn`, then `protect`, then the cost limit. `none`
 * trips nothing and leaves the other conditions alone. Run conditions need the run's checks.
 */
export function evaluateGates(
  model: PlanModel,
  status: string,
  failOn: FailCondition[],
  protect: string[],
  run: RunGateInput = {}
): GateTrip[] {
  const { checks, apply } = run
  const trips: GateTrip[] = []
  for (const condition of new Set(failOn)) {
    let trip: GateTrip | undefined
    if (condition === 'none') trip = undefined
    else if (condition === 'unapplied') trip = apply && unappliedTrip(apply)
    else if (RUN_CONDITIONS.includes(condition))
      trip = checks && runConditionTrip(condition as RunCondition, checks)
    else trip = PLAN_CONDITIONS[condition as PlanCondition](model, status)
    // A plan that did not error can still end in an apply that errored, or a run HCP Terraform
    // failed or holds.
    if (!trip && condition === 'errored' && apply) trip = applyErroredTrip(apply)
    if (!trip && condition === 'errored' && checks) trip = runErroredTrip(checks)
    if (trip) trips.push(trip)
  }
  const protectTrip = protectedAtRisk(model, protect)
  if (protectTrip) trips.push(protectTrip)
  const overBudget = checks && costTrip(checks, run.maxMonthlyCostIncrease)
  if (overBudget) trips.push(overBudget)
  return trips
}
