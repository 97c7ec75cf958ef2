// What a run's apply did, modelled once: the comment, the job summary, the outputs and the gates
// all read an ApplyReport. Pure: statuses and parsed log in, model out.
import type { JsonValue } from '../plan/json-value.js'
import type { Diagnostic } from '../result.js'

/** How the run ended for the apply, in the words of the `apply-status` output. */
export type ApplyOutcome =
  | 'applied'
  | 'errored'
  | 'discarded'
  | 'canceled'
  | 'awaiting-confirmation'
  | 'awaiting-override'
  | 'nothing-to-apply'

export interface ApplyCounts {
  add: number
  change: number
  destroy: number
  import: number
}

/** One resource the apply started: where it got to. */
export interface AppliedResource {
  address: string
  /** Terraform's hook action: create, update, delete, replace, read, … */
  action: string
  outcome: 'complete' | 'errored' | 'started'
  elapsedSeconds?: number
}

/** A root module output after the apply; a sensitive one never carries its value. */
export type ApplyOutput =
  { name: string; sensitive: true } | { name: string; sensitive: false; value: JsonValue }

export interface ApplyReport {
  outcome: ApplyOutcome
  /** The run's status when waiting ended. */
  runStatus: string
  applyId?: string
  /** The apply's own status (pending, running, finished, errored, canceled, unreachable). */
  applyStatus?: string
  counts: ApplyCounts
  /** Resources in the order the apply started them (from the structured or plain-text log). */
  resources: AppliedResource[]
  diagnostics: Diagnostic[]
  outputs: ApplyOutput[]
  /** Last lines of a plain-text log that named no diagnostic, on an errored apply. */
  logTail?: string[]
  /** Why part of the report is missing (the log could not be read, say). */
  note?: string
}

export const NO_APPLY_COUNTS: Readonly<ApplyCounts> = { add: 0, change: 0, destroy: 0, import: 0 }

/** Run statuses after which nothing more happens to the apply without a person, or at all. */
const OUTCOME_OF_RUN_STATUS: Readonly<Record<string, ApplyOutcome>> = {
  applied: 'applied',
  post_apply_completed: 'applied',
  errored: 'errored',
  discarded: 'discarded',
  canceled: 'canceled',
  force_canceled: 'canceled',
  planned_and_finished: 'nothing-to-apply',
  planned_and_saved: 'awaiting-confirmation',
  policy_soft_failed: 'awaiting-override'
}

/** The run waits for a person: it is over only when the wait ends first. */
const OUTCOME_OF_PAUSE: Readonly<Record<string, ApplyOutcome>> = {
  planned: 'awaiting-confirmation',
  cost_estimated: 'awaiting-confirmation',
  policy_checked: 'awaiting-confirmation',
  post_plan_completed: 'awaiting-confirmation',
  policy_override: 'awaiting-override',
  post_plan_awaiting_decision: 'awaiting-override',
  pre_plan_awaiting_decision: 'awaiting-override'
}

/** Statuses of the apply stage, for knowing them and for the progress lines. */
export const APPLY_RUN_STATUSES: readonly string[] = [
  'confirmed',
  'apply_queued',
  'pre_apply_running',
  'pre_apply_completed',
  'applying',
  'post_apply_running',
  'post_apply_completed'
]

/** The outcome once the run is over for the apply; undefined while it can still move on. */
export function finalApplyOutcome(runStatus: string): ApplyOutcome | undefined {
  return OUTCOME_OF_RUN_STATUS[runStatus]
}

/** The outcome of a run left waiting for a person when the wait ended; else undefined. */
export function pausedApplyOutcome(runStatus: string): ApplyOutcome | undefined {
  return OUTCOME_OF_PAUSE[runStatus]
}

/** The run ended, or was left, without applying: what `fail-on: unapplied` trips on. */
export function isUnapplied(outcome: ApplyOutcome): boolean {
  return (
    outcome === 'discarded' ||
    outcome === 'canceled' ||
    outcome === 'awaiting-confirmation' ||
    outcome === 'awaiting-override'
  )
}

/** The outcome in words, for titles and commit statuses. */
export const APPLY_OUTCOME_WORDS: Readonly<Record<ApplyOutcome, string>> = {
  applied: 'applied',
  errored: 'apply errored',
  discarded: 'run discarded: nothing was applied',
  canceled: 'run canceled: nothing was applied',
  'awaiting-confirmation': 'awaiting confirmation in HCP Terraform',
  'awaiting-override': 'awaiting a policy override in HCP Terraform',
  'nothing-to-apply': 'nothing to apply'
}

/** `Apply complete! Resources: 1 added, 0 changed, 0 destroyed.`, as Terraform prints it. */
export function applySummaryLine(counts: ApplyCounts): string {
  const imported = counts.import > 0 ? `${counts.import} imported, ` : ''
  return (
    `Resources: ${imported}${counts.add} added, ${counts.change} changed, ` +
    `${counts.destroy} destroyed.`
  )
}
