// What the action learned about one workspace's plan: the renderers, publishers and outputs read this.
import type { PlanModel } from './plan/model.js'
import type { RunChecks } from './run/checks.js'
import type { ApplyReport } from './run/apply.js'
import type { PlanComparison } from './plan/compare.js'

/** Final plan statuses: finished, errored, canceled, unreachable (other strings are tolerated). */
export type PlanStatus = string

export interface ExecutionDetails {
  mode?: string // remote | agent | local
  agentId?: string
  agentName?: string
  agentPoolId?: string
  agentPoolName?: string
}

export interface DiagnosticSnippet {
  context?: string
  code: string
  startLine: number
  highlightStartOffset?: number
  highlightEndOffset?: number
}

/** An error or warning from the plan's structured log. */
export interface Diagnostic {
  severity: 'error' | 'warning'
  summary: string
  detail?: string
  /** The resource the diagnostic is about (apply errors name it). */
  address?: string
  filename?: string
  line?: number
  snippet?: DiagnosticSnippet
}

export type FailCondition =
  | 'errored'
  | 'changes'
  | 'destroy'
  | 'replace'
  | 'drift'
  | 'policy'
  | 'advisory'
  | 'run-task'
  | 'unapplied'
  | 'none'

/** One tripped merge gate and the resources that tripped it. */
export interface GateTrip {
  condition: Exclude<FailCondition, 'none'> | 'protect' | 'cost'
  /** One line, e.g. "2 resources would be destroyed". */
  message: string
  addresses: string[]
}

/** Who waived a tripped gate, and how: an approving review of the head, or a label. */
export type Waiver =
  { by: string; how: 'approval'; commit: string } | { by: string; how: 'label'; label: string }

/** A tripped gate that an override waived: it no longer fails the step. */
export interface WaivedGate extends GateTrip {
  waiver: Waiver
}

/** Who may waive which tripped gates, for the "how to waive" line under each gate. */
export interface WaiveRoute {
  /** The conditions a review or label may waive. */
  conditions: string[]
  /** Listed approvers as written: `alice`, `@octo-org/platform`. */
  approvers: string[]
  label?: string
}

export interface SentinelMocks {
  path: string
  files: string[]
}

export interface WorkspaceResult {
  hostname: string
  runId?: string
  planId: string
  organization?: string
  workspace?: string
  runUrl?: string
  status: PlanStatus
  /** The run's status when the action stopped waiting (runs only). */
  runStatus?: string
  /** Run tasks, policies and the cost estimate (`wait-for: run`, or a run stopped before planning). */
  checks?: RunChecks
  model: PlanModel
  /** Why per-resource detail is missing (model.source is 'api-counts'), and how to get it. */
  detailsNote?: string
  jsonPath?: string
  /** Error and warning diagnostics from the plan log (errored plans). */
  diagnostics: Diagnostic[]
  /** Last lines of a plain-text plan log, when it had no structured diagnostics. */
  logTail?: string[]
  execution?: ExecutionDetails
  /** The tripped gates that still fail the step (waived ones are in `waived`). */
  gates: GateTrip[]
  /** Tripped gates an approving review or label waived. */
  waived?: WaivedGate[]
  /** How the gates of this result may be waived; absent without overrides. */
  waiveRoute?: WaiveRoute
  sentinelMocks?: SentinelMocks
  /** A non-fatal problem worth showing (e.g. the Sentinel export failed). */
  warnings: string[]
  /** The run's VCS commit, read when the job itself does not know which commit it plans. */
  commitSha?: string
  /** What the run's apply did (`wait-for: apply`). */
  apply?: ApplyReport
  /** How the plan differs from the one the sticky comment showed for an earlier push. */
  sinceLastPush?: SinceLastPush
}

/** The plan the comment showed before, and what differs; `comparison` absent when unreadable. */
export interface SinceLastPush {
  previousCommit?: string
  previousRunId?: string
  previousPlanId: string
  comparison?: PlanComparison
  /** Why the previous plan could not be compared (deleted run, no permission). */
  unavailable?: string
}

/**
 * The short key of a result: its workspace, else its run or plan ID. The sticky comment's marker
 * and the `failed-checks` prefixes use it, so it must not change between runs of a workspace.
 */
export function workspaceKey(result: WorkspaceResult): string {
  return result.workspace ?? result.runId ?? result.planId
}

/** The name shown to people: `organization/workspace`, else the run or plan ID. */
export function workspaceDisplayName(result: WorkspaceResult): string {
  if (result.workspace === undefined) return result.runId ?? result.planId
  return result.organization !== undefined
    ? `${result.organization}/${result.workspace}`
    : result.workspace
}
