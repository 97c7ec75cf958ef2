// The apply stage of one run (`wait-for: apply`): how waiting for it polls and speaks, what ends
// it, and the ApplyReport read from the apply and its log once it is over.
import * as core from '@actions/core'
import type { TfcClient } from './tfc/client.js'
import type { PlanSnapshot, RunSnapshot } from './tfc/runs.js'
import { getApply, readApplyLog } from './tfc/applies.js'
import type { ApplySnapshot } from './tfc/applies.js'
import type { ApplyLog } from './tfc/apply-log.js'
import { WaitTimeoutError } from './tfc/wait.js'
import { pendingWork } from './tfc/run-progress.js'
import type { ProgressSnapshot } from './tfc/run-progress.js'
import type { ApplyOutcome, ApplyReport } from './run/apply.js'
import {
  APPLY_OUTCOME_WORDS,
  APPLY_RUN_STATUSES,
  NO_APPLY_COUNTS,
  applySummaryLine,
  finalApplyOutcome,
  pausedApplyOutcome
} from './run/apply.js'
import { errorMessage } from './util/error-message.js'

/** Told once per run, as soon as the first poll names its workspace (a pending commit status). */
export type ApplyAwaited = (snapshot: RunSnapshot) => Promise<void>

/** Apply statuses of an apply that never ran: it has no log worth reading. */
const NEVER_RAN = new Set(['pending', 'unreachable'])

/**
 * The poll of `wait-for: apply`: a speculative plan is refused at the first answer (it can never
 * be applied, so waiting would only run into the timeout), and `awaited` hears of the run once.
 */
export function applyPolling(
  poll: () => Promise<RunSnapshot | PlanSnapshot>,
  awaited: ApplyAwaited | undefined
): () => Promise<RunSnapshot | PlanSnapshot> {
  let announced = false
  return async () => {
    const snapshot = await poll()
    if (!('runId' in snapshot) || !('runStatus' in snapshot)) return snapshot
    const run = snapshot as RunSnapshot
    if (run.planOnly) {
      throw new Error(
        `Input \`wait-for\` is "apply" but run ${run.runId} is a speculative plan ` +
          '(operation plan_only), which HCP Terraform never applies. Use wait-for: run for ' +
          "pull request plans; for the merge commit's run use `workspace` on a push event, or " +
          'the run-id of a plan_and_apply run.'
      )
    }
    if (!announced) {
      announced = true
      await awaited?.(run)
    }
    return run
  }
}

/** Progress words once the plan is over: "Applying...", or what the run waits for. */
export function applyWaitingPhrase(snapshot: ProgressSnapshot): string | undefined {
  const { planStatus, runStatus } = snapshot
  if (planStatus !== 'finished' || runStatus === undefined) return undefined
  if (APPLY_RUN_STATUSES.includes(runStatus)) return 'Applying...'
  const paused = pausedApplyOutcome(runStatus)
  if (paused === 'awaiting-override') return 'Waiting for a policy override...'
  if (paused === 'awaiting-confirmation' && pendingWork(snapshot).length === 0)
    return 'Waiting for the run to be confirmed...'
  return 'Waiting for run tasks, policies and the cost estimate...'
}

/**
 * When `wait-timeout` ends while the run waits for a person, that is the answer (reported as
 * awaiting confirmation or an override), not a failure; any other error stands.
 */
export function leftAwaitingPerson(error: unknown): RunSnapshot {
  if (!(error instanceof WaitTimeoutError)) throw error
  const { last } = error
  if (last?.runStatus !== undefined && pausedApplyOutcome(last.runStatus) !== undefined) {
    core.info(
      `Stopped waiting after ${Math.round(error.elapsedMs / 1000)} s: the run is ` +
        `${last.runStatus} and waits for a person.`
    )
    return last as RunSnapshot
  }
  throw error
}

/** What the apply did, read once waiting is over, in one log line. Problems become warnings. */
export async function readApplyReport(
  client: TfcClient,
  snapshot: RunSnapshot,
  warnings: string[]
): Promise<ApplyReport> {
  const report = await buildApplyReport(client, snapshot, warnings)
  const counted = report.applyStatus === undefined ? '' : ` ${applySummaryLine(report.counts)}`
  core.info(`${snapshot.runId}: ${APPLY_OUTCOME_WORDS[report.outcome]}.${counted}`)
  return report
}

async function buildApplyReport(
  client: TfcClient,
  snapshot: RunSnapshot,
  warnings: string[]
): Promise<ApplyReport> {
  const { runStatus } = snapshot
  const outcome: ApplyOutcome =
    finalApplyOutcome(runStatus) ?? pausedApplyOutcome(runStatus) ?? 'errored'
  const report: ApplyReport = {
    outcome,
    runStatus,
    counts: { ...NO_APPLY_COUNTS },
    resources: [],
    diagnostics: [],
    outputs: []
  }
  if (snapshot.planStatus !== 'finished') {
    report.note = `The plan ${snapshot.planStatus}: nothing was applied.`
    return report
  }
  if (outcome !== 'applied' && outcome !== 'errored' && outcome !== 'canceled') return report

  let apply: ApplySnapshot
  try {
    apply = await getApply(client, { applyId: snapshot.applyId, runId: snapshot.runId })
  } catch (error) {
    return withProblem(report, `The apply could not be read: ${errorMessage(error)}`, warnings)
  }
  report.applyId = apply.applyId
  report.applyStatus = apply.status
  if (apply.counts) report.counts = apply.counts
  if (NEVER_RAN.has(apply.status) || !apply.logReadUrl) {
    if (outcome === 'errored') report.note = 'The run errored before its apply started.'
    return report
  }
  let log: ApplyLog
  try {
    log = await readApplyLog(client, apply.logReadUrl)
  } catch (error) {
    return withProblem(report, `The apply log could not be read: ${errorMessage(error)}`, warnings)
  }
  // Masked before anything else could print them; the model keeps only their names.
  for (const secret of log.sensitiveStrings) core.setSecret(secret)
  return {
    ...report,
    counts: log.counts ?? report.counts,
    resources: log.resources,
    diagnostics: log.diagnostics,
    outputs: log.outputs,
    ...(outcome === 'errored' && log.logTail && { logTail: log.logTail })
  }
}

function withProblem(report: ApplyReport, problem: string, warnings: string[]): ApplyReport {
  core.warning(problem)
  warnings.push(problem)
  return { ...report, note: problem }
}
