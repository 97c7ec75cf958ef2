// The outputs about what HCP Terraform decided after the plan: run status, policies, run tasks and
// cost. For several workspaces the worst status and the exact sums of the costs.
import type { WorkspaceResult } from '../result.js'
import type { RunChecks } from '../run/checks.js'
import {
  failedPolicyCount,
  policyStatus,
  runFailure,
  runTasksStatus,
  worstCheckStatus
} from '../run/checks.js'
import { sumDecimals } from '../run/decimal.js'

/** Lower is worse; statuses not listed rank between failures and successes. */
const RUN_STATUS_RANK: Readonly<Record<string, number>> = {
  errored: 0,
  canceled: 1,
  force_canceled: 1,
  discarded: 3,
  planned: 5,
  cost_estimated: 5,
  policy_checked: 5,
  post_plan_completed: 5,
  planned_and_finished: 6,
  applied: 6
}
const HELD_RANK = 2
const UNKNOWN_RANK = 4

function rankOf(status: string): number {
  if (Object.hasOwn(RUN_STATUS_RANK, status)) return RUN_STATUS_RANK[status]
  return runFailure(status) !== undefined ? HELD_RANK : UNKNOWN_RANK
}

const NO_CHECKS: RunChecks = { runStatus: '', taskResults: [], policySets: [], notes: [] }

export function runOutputs(results: WorkspaceResult[]): Record<string, string> {
  const checks = results.map(result => result.checks ?? NO_CHECKS)
  const statuses = results.flatMap(result => result.runStatus ?? [])
  const estimates = checks.flatMap(check => (check.cost ? [check.cost] : []))
  const costSum = (pick: (cost: NonNullable<RunChecks['cost']>) => string | undefined): string => {
    const values = estimates.flatMap(cost => pick(cost) ?? [])
    return values.length === 0 ? '' : values.length === 1 ? values[0] : sumDecimals(values)
  }
  return {
    'run-status': statuses.sort((a, b) => rankOf(a) - rankOf(b))[0] ?? '',
    'policy-status': worstCheckStatus(checks.map(policyStatus)),
    'policy-failed': String(checks.reduce((sum, check) => sum + failedPolicyCount(check), 0)),
    'run-tasks-status': worstCheckStatus(checks.map(runTasksStatus)),
    'cost-prior-monthly': costSum(cost => cost.priorMonthly),
    'cost-proposed-monthly': costSum(cost => cost.proposedMonthly),
    'cost-delta-monthly': costSum(cost => cost.deltaMonthly)
  }
}

/** The run checks inside `results`: names, statuses and figures, never policy output or messages. */
export function summarizeChecks(checks: RunChecks | undefined): object | undefined {
  if (!checks) return undefined
  return {
    runStatus: checks.runStatus,
    policyStatus: policyStatus(checks),
    policyFailed: failedPolicyCount(checks),
    runTasksStatus: runTasksStatus(checks),
    policies: checks.policySets.flatMap(set =>
      set.outcomes.map(policy => ({
        policySet: set.name,
        kind: set.kind,
        name: policy.name,
        status: policy.status,
        enforcement: policy.enforcement,
        overridden: set.overridden
      }))
    ),
    runTasks: checks.taskResults.map(({ name, stage, status, enforcement, url }) => ({
      name,
      stage,
      status,
      enforcement,
      url
    })),
    cost: checks.cost,
    notes: checks.notes
  }
}
