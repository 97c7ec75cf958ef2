// The step outputs: plain values for one workspace; sums, lists and the worst status for several.
import * as core from '@actions/core'
import type { Diagnostic, GateTrip, WaivedGate, WorkspaceResult } from '../result.js'
import { workspaceKey } from '../result.js'
import type { PlanCounts, ResourceAction, ResourceChangeModel } from '../plan/model.js'
import { RESOURCE_ACTIONS, emptyCounts, formatSummaryLine, sumCounts } from '../plan/model.js'
import { runOutputs, summarizeChecks } from './run-outputs.js'
import { applyOutputs, summarizeApply } from './apply-outputs.js'
import type { PostedComment, PostedComments } from './posted.js'
import { isSamePlan } from '../plan/compare.js'
import { maskText } from '../util/mask.js'
import type { Masker } from '../util/mask.js'
import { isRecord } from '../util/is-record.js'

const NO_COUNTS: PlanCounts = emptyCounts()

/** Lower is worse: the `status` output of several workspaces is the worst of them. */
const STATUS_RANK: Readonly<Record<string, number>> = {
  errored: 0,
  canceled: 1,
  unreachable: 2,
  finished: 4
}
/** A status outside the documented ones has not been seen to succeed, nor to fail. */
const UNKNOWN_STATUS_RANK = 3

type ListedAction = Exclude<ResourceAction, 'no-op'>
const LISTED_ACTIONS = RESOURCE_ACTIONS.filter(
  (action): action is ListedAction => action !== 'no-op'
)

/**
 * One workspace's result for the `results` output: what happens to which address, never an
 * attribute value (those can be huge and hold secrets), nor code snippets or log lines.
 */
interface ResultSummary {
  hostname: string
  organization?: string
  workspace?: string
  runId?: string
  planId: string
  runUrl?: string
  status: string
  source: string
  terraformVersion?: string
  errored: boolean
  hasChanges: boolean
  counts: PlanCounts
  summary: string
  /** Resource addresses by action; `no-op` resources appear only under imports or moves. */
  changes: Record<ListedAction, string[]>
  imports: string[]
  moves: { from: string; to: string }[]
  outputs: { name: string; action: string; sensitive: boolean }[]
  drift: { address: string; action: string }[]
  deferred: { address: string; action: string; reason?: string }[]
  failedChecks: { address: string; status: string }[]
  gates: GateTrip[]
  /** Tripped gates an approving review or label waived, with who and how. */
  waived: WaivedGate[]
  diagnostics: Pick<Diagnostic, 'severity' | 'summary' | 'filename' | 'line'>[]
  warnings: string[]
  detailsNote?: string
  jsonPath?: string
  sentinelMocksPath?: string
  comment?: PostedComment
  execution?: WorkspaceResult['execution']
  /** Run tasks, policies and the cost estimate, when the action waited for them. */
  checks?: object
  /** What the apply did (`wait-for: apply`): names and outcomes, never an output's value. */
  apply?: object
  /** Set when the address lists were left out to keep the output within GitHub's limit. */
  addressesOmitted?: true
}

/** GitHub stores at most 1 MB per step output; leave room for the other outputs' framing. */
const RESULTS_OUTPUT_LIMIT = 1_000_000

/** The `results` JSON; for plans too large for one output, counts stay and address lists go. */
function resultsOutput(results: WorkspaceResult[], comments: PostedComments): string {
  const summaries = results.map(result => summarizeResult(result, comments.get(result)))
  const full = JSON.stringify(summaries)
  if (Buffer.byteLength(full) <= RESULTS_OUTPUT_LIMIT) return full
  return JSON.stringify(summaries.map(withoutAddresses))
}

function withoutAddresses(summary: ResultSummary): ResultSummary {
  const changes = Object.fromEntries(
    LISTED_ACTIONS.map(action => [action, [] as string[]])
  ) as Record<ListedAction, string[]>
  return {
    ...summary,
    changes,
    imports: [],
    moves: [],
    drift: [],
    deferred: [],
    gates: summary.gates.map(gate => ({ ...gate, addresses: [] })),
    waived: summary.waived.map(gate => ({ ...gate, addresses: [] })),
    addressesOmitted: true
  }
}

/**
 * Every output of action.yml, as strings, with the comments publishing wrote (none when it wrote
 * none). Pure: `setOutputs` writes them.
 */
export function buildOutputs(
  results: WorkspaceResult[],
  comments: PostedComments = new Map()
): Record<string, string> {
  const counts = results.map(result => result.model.counts).reduce(sumCounts, NO_COUNTS)
  const countOutputs = Object.fromEntries(
    (Object.keys(NO_COUNTS) as (keyof PlanCounts)[]).map(name => [name, String(counts[name])])
  )
  return {
    'run-id': listOf(results, result => result.runId),
    'plan-id': listOf(results, result => result.planId),
    organization: [...new Set(results.flatMap(result => result.organization ?? []))].join(','),
    workspace: listOf(results, result => result.workspace),
    'run-url': listOf(results, result => result.runUrl),
    status: worstStatus(results),
    'has-changes': String(results.some(result => result.model.hasChanges)),
    ...countOutputs,
    summary: results.length === 1 ? results[0].model.summaryLine : formatSummaryLine(counts),
    'json-path': listOf(results, result => result.jsonPath),
    'comment-id': listOf(results, result => comments.get(result)?.id.toString()),
    'comment-url': listOf(results, result => comments.get(result)?.url),
    'failed-checks': failedChecks(results),
    overridden: conditionList(results, result => result.waived ?? []),
    results: resultsOutput(results, comments),
    'sentinel-mocks-path': listOf(results, result => result.sentinelMocks?.path),
    ...runOutputs(results),
    ...applyOutputs(results),
    'changed-since-previous': changedSincePrevious(results)
  }
}

/** `true` when any plan compared with the last push differs, `false` when each is the same. */
function changedSincePrevious(results: WorkspaceResult[]): string {
  const compared = results.flatMap(result => result.sinceLastPush?.comparison ?? [])
  if (compared.length === 0) return ''
  return String(compared.some(comparison => !isSamePlan(comparison)))
}

/** The outputs with every match of `mask` replaced; `results` value by value, so it stays JSON. */
export function maskOutputs(
  outputs: Record<string, string>,
  masker: Masker
): Record<string, string> {
  if (masker.patterns.length === 0) return outputs
  const maskStrings = (value: unknown): unknown => {
    if (typeof value === 'string') return maskText(value, masker)
    if (Array.isArray(value)) return value.map(maskStrings)
    if (isRecord(value))
      return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, maskStrings(v)]))
    return value
  }
  return Object.fromEntries(
    Object.entries(outputs).map(([name, value]) => [
      name,
      name === 'results' ? JSON.stringify(maskStrings(JSON.parse(value))) : maskText(value, masker)
    ])
  )
}

export function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
}

/**
 * Comma separated in workspace order. Missing values keep their place (`a,,c`) so that the nth
 * entry of every list belongs to the same workspace; all missing gives an empty string.
 */
function listOf(
  results: WorkspaceResult[],
  value: (result: WorkspaceResult) => string | undefined
): string {
  const values = results.map(result => value(result) ?? '')
  return values.some(value => value !== '') ? values.join(',') : ''
}

function worstStatus(results: WorkspaceResult[]): string {
  const rank = (status: string): number =>
    Object.hasOwn(STATUS_RANK, status) ? STATUS_RANK[status] : UNKNOWN_STATUS_RANK
  const statuses = results.map(result => result.status)
  return statuses.sort((a, b) => rank(a) - rank(b))[0] ?? ''
}

/** `destroy,protect` for one workspace; `prod:destroy,staging:errored` for several. */
function failedChecks(results: WorkspaceResult[]): string {
  return conditionList(results, result => result.gates)
}

/** The conditions of some gates of each result, prefixed with the workspace when there are several. */
function conditionList(
  results: WorkspaceResult[],
  gatesOf: (result: WorkspaceResult) => GateTrip[]
): string {
  const checks = results.flatMap(result =>
    gatesOf(result).map(gate =>
      results.length === 1 ? gate.condition : `${workspaceKey(result)}:${gate.condition}`
    )
  )
  return [...new Set(checks)].join(',')
}

function summarizeResult(
  result: WorkspaceResult,
  comment: PostedComment | undefined
): ResultSummary {
  const { model } = result
  const changes = Object.fromEntries(
    LISTED_ACTIONS.map(action => [action, addressesOf(model.resources, action)])
  ) as Record<ListedAction, string[]>
  return {
    hostname: result.hostname,
    organization: result.organization,
    workspace: result.workspace,
    runId: result.runId,
    planId: result.planId,
    runUrl: result.runUrl,
    status: result.status,
    source: model.source,
    terraformVersion: model.terraformVersion,
    errored: model.errored,
    hasChanges: model.hasChanges,
    counts: model.counts,
    summary: model.summaryLine,
    changes,
    imports: model.resources.filter(resource => resource.importing).map(r => r.address),
    moves: model.resources.flatMap(resource =>
      resource.previousAddress ? [{ from: resource.previousAddress, to: resource.address }] : []
    ),
    outputs: model.outputs.map(({ name, action, sensitive }) => ({ name, action, sensitive })),
    drift: model.drift.map(({ address, action }) => ({ address, action })),
    deferred: model.deferred.map(({ reason, resource }) => ({
      address: resource.address,
      action: resource.action,
      reason
    })),
    failedChecks: model.failedChecks.map(({ address, status }) => ({ address, status })),
    gates: result.gates,
    waived: result.waived ?? [],
    diagnostics: result.diagnostics.map(({ severity, summary, filename, line }) => ({
      severity,
      summary,
      filename,
      line
    })),
    warnings: result.warnings,
    detailsNote: result.detailsNote,
    jsonPath: result.jsonPath,
    sentinelMocksPath: result.sentinelMocks?.path,
    comment,
    execution: result.execution,
    checks: summarizeChecks(result.checks),
    apply: summarizeApply(result.apply)
  }
}

function addressesOf(resources: ResourceChangeModel[], action: ListedAction): string[] {
  return resources.filter(resource => resource.action === action).map(r => r.address)
}
