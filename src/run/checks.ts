// What HCP Terraform decided after the plan: run tasks, policies, the cost estimate and the run's
// own status. Pure: read from the API by src/tfc/run-checks.ts, shown by the renderers, written
// to the outputs and gated on.

export interface CostEstimate {
  /** pending | queued | finished | errored | canceled | skipped_due_to_targeting | unreachable */
  status: string
  /** USD as HCP Terraform gives them: exact decimal strings, present once finished. */
  priorMonthly?: string
  proposedMonthly?: string
  deltaMonthly?: string
  matched?: number
  unmatched?: number
  errorMessage?: string
}

export interface TaskResult {
  name: string
  /** pre_plan | post_plan | pre_apply | post_apply */
  stage: string
  /** pending | running | passed | failed | errored | canceled | unreachable */
  status: string
  /** advisory | mandatory */
  enforcement: string
  message?: string
  /** The integration's details page. */
  url?: string
}

export interface PolicyOutcome {
  name: string
  /** passed | failed | errored (and pending / overridden for a whole set) */
  status: string
  /** advisory | mandatory for evaluations; advisory | soft-mandatory | hard-mandatory for checks */
  enforcement: string
  description?: string
  /** What the policy printed; untrusted text. */
  output?: string
}

export interface PolicySet {
  name: string
  /** opa | sentinel */
  kind: string
  /** The evaluation's or the check's own status, e.g. failed, overridden, soft_failed. */
  status: string
  overridden: boolean
  error?: string
  outcomes: PolicyOutcome[]
}

export interface RunChecks {
  runStatus: string
  taskResults: TaskResult[]
  policySets: PolicySet[]
  cost?: CostEstimate
  /** Parts that could not be read (feature off, older TFE, no permission), one line each. */
  notes: string[]
}

/** Worst first: the word for several results is the first one any of them has. */
export const CHECK_STATUSES = [
  'errored',
  'failed',
  'soft-failed',
  'advisory-failed',
  'passed',
  'none'
] as const
export type CheckStatus = (typeof CHECK_STATUSES)[number]

export function worstCheckStatus(statuses: readonly CheckStatus[]): CheckStatus {
  return CHECK_STATUSES.find(status => statuses.includes(status)) ?? 'none'
}

const FAILED = new Set(['failed', 'errored', 'soft_failed', 'hard_failed', 'unreachable'])

/** A policy, set, check or task status that means it failed or could not run. */
export function isFailedStatus(status: string): boolean {
  return FAILED.has(status)
}

/** A policy that failed or errored, unless its set was overridden. */
export function failedPolicies(checks: RunChecks): { set: PolicySet; policy: PolicyOutcome }[] {
  return checks.policySets.flatMap(set =>
    set.overridden
      ? []
      : set.outcomes.filter(policy => FAILED.has(policy.status)).map(policy => ({ set, policy }))
  )
}

/** A set that failed as a whole (an error before any policy ran), not overridden. */
export function setsErroredWithoutOutcomes(checks: RunChecks): PolicySet[] {
  return checks.policySets.filter(
    set => !set.overridden && set.outcomes.length === 0 && FAILED.has(set.status)
  )
}

export function isAdvisory(enforcement: string): boolean {
  return enforcement === 'advisory'
}

export function policyStatus(checks: RunChecks): CheckStatus {
  if (checks.policySets.length === 0) return 'none'
  const failed = failedPolicies(checks)
  const words: CheckStatus[] = failed.map(({ policy }) => {
    if (policy.status === 'errored' || policy.status === 'unreachable') return 'errored'
    if (isAdvisory(policy.enforcement)) return 'advisory-failed'
    return policy.enforcement === 'soft-mandatory' ? 'soft-failed' : 'failed'
  })
  if (setsErroredWithoutOutcomes(checks).length > 0) words.push('errored')
  return worstCheckStatus(words.length > 0 ? words : ['passed'])
}

export function runTasksStatus(checks: RunChecks): CheckStatus {
  if (checks.taskResults.length === 0) return 'none'
  const words: CheckStatus[] = checks.taskResults.flatMap(task => {
    if (!FAILED.has(task.status)) return []
    if (isAdvisory(task.enforcement)) return ['advisory-failed']
    return [task.status === 'failed' ? 'failed' : 'errored']
  })
  return worstCheckStatus(words.length > 0 ? words : ['passed'])
}

/** Failed policies of any enforcement level, overridden sets left out. */
export function failedPolicyCount(checks: RunChecks): number {
  return failedPolicies(checks).length
}

/** Run statuses that fail the step under `errored`: HCP Terraform failed it or holds it for a person. */
const RUN_HELD_OR_FAILED: Readonly<Record<string, string>> = {
  errored: 'the run errored',
  canceled: 'the run was canceled',
  force_canceled: 'the run was force-canceled',
  policy_soft_failed: 'policy soft-failed: an override is needed to apply',
  policy_override: 'policy soft-failed: an override is needed to apply',
  post_plan_awaiting_decision: 'a run task or policy failed: the run awaits an override',
  pre_plan_awaiting_decision: 'a pre-plan run task failed: the run awaits an override'
}

const RUN_STATUS_WORDS: Readonly<Record<string, string>> = {
  ...RUN_HELD_OR_FAILED,
  planned_and_finished: 'planned and finished',
  planned: 'planned: awaiting confirmation',
  cost_estimated: 'cost estimated: awaiting confirmation',
  policy_checked: 'policies checked: awaiting confirmation',
  post_plan_completed: 'run tasks and policies done: awaiting confirmation',
  discarded: 'the run was discarded',
  applied: 'applied'
}

/** The run's status in words, e.g. "policy soft-failed: an override is needed to apply". */
export function runStatusWords(runStatus: string): string {
  return RUN_STATUS_WORDS[runStatus] ?? `run ${runStatus.replace(/_/g, ' ')}`
}

/** Why the run fails the step under `errored`, or undefined when it does not. */
export function runFailure(runStatus: string): string | undefined {
  return RUN_HELD_OR_FAILED[runStatus]
}

/** Task results of a stage that never started once the run was over. */
export function notRun(task: TaskResult, runStatus: string): boolean {
  return (task.status === 'pending' || task.status === 'running') && isOver(runStatus)
}

function isOver(runStatus: string): boolean {
  return runFailure(runStatus) !== undefined || RUN_STATUS_WORDS[runStatus] !== undefined
}
