// The merge gates on what HCP Terraform decided after the plan: policies, run tasks, the run's
// own status and the cost estimate. Pure functions of the RunChecks model.
import type { GateTrip } from '../result.js'
import type { RunChecks } from '../run/checks.js'
import {
  failedPolicies,
  isAdvisory,
  isFailedStatus,
  runFailure,
  setsErroredWithoutOutcomes
} from '../run/checks.js'
import { compareDecimals } from '../run/decimal.js'

const LISTED = 5

export type RunCondition = 'policy' | 'advisory' | 'run-task'

/** `errored`: HCP Terraform failed the run, or holds it for an override. */
export function runErroredTrip(checks: RunChecks): GateTrip | undefined {
  const why = runFailure(checks.runStatus)
  return why === undefined
    ? undefined
    : {
        condition: 'errored',
        message: `${why[0].toUpperCase()}${why.slice(1)} (run status ${checks.runStatus})`,
        addresses: []
      }
}

export function runConditionTrip(condition: RunCondition, checks: RunChecks): GateTrip | undefined {
  switch (condition) {
    case 'policy': {
      const failed = failedPolicies(checks).filter(({ policy }) => !isAdvisory(policy.enforcement))
      const erroredSets = setsErroredWithoutOutcomes(checks)
      const names = [
        ...failed.map(
          ({ set, policy }) =>
            `${policy.name} (${set.name}, ${policy.enforcement}, ${policy.status})`
        ),
        ...erroredSets.map(set => `${set.name} (${set.status})`)
      ]
      return trip('policy', names, 'mandatory policy failed', 'mandatory policies failed')
    }
    case 'advisory': {
      const policies = failedPolicies(checks)
        .filter(({ policy }) => isAdvisory(policy.enforcement))
        .map(({ set, policy }) => `${policy.name} (${set.name})`)
      const tasks = checks.taskResults
        .filter(task => isAdvisory(task.enforcement) && isFailedStatus(task.status))
        .map(task => `run task ${task.name} (${task.status})`)
      return trip(
        'advisory',
        [...policies, ...tasks],
        'advisory check failed',
        'advisory checks failed'
      )
    }
    case 'run-task': {
      const tasks = checks.taskResults
        .filter(task => !isAdvisory(task.enforcement) && isFailedStatus(task.status))
        .map(task => `${task.name} (${task.stage}, ${task.status})`)
      return trip('run-task', tasks, 'mandatory run task failed', 'mandatory run tasks failed')
    }
  }
}

/** `max-monthly-cost-increase`: the estimate's delta is larger than the limit. */
export function costTrip(checks: RunChecks, limit: string | undefined): GateTrip | undefined {
  const delta = checks.cost?.deltaMonthly
  if (limit === undefined || delta === undefined || compareDecimals(delta, limit) <= 0)
    return undefined
  return {
    condition: 'cost',
    message: `The monthly cost would rise by ${delta} USD, more than the limit of ${limit} USD`,
    addresses: []
  }
}

function trip(
  condition: RunCondition,
  names: string[],
  one: string,
  many: string
): GateTrip | undefined {
  if (names.length === 0) return undefined
  const listed = names.slice(0, LISTED).join(', ')
  const more = names.length > LISTED ? ` and ${names.length - LISTED} more` : ''
  const count = `${names.length} ${names.length === 1 ? one : many}`
  return { condition, message: `${count}: ${listed}${more}`, addresses: [] }
}
