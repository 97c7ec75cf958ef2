// One run or plan, from the API to a WorkspaceResult: wait, fetch the JSON plan, model it, gate it.
import * as core from '@actions/core'
import type { Settings } from './settings.js'
import type { TfcClient } from './tfc/client.js'
import type { WorkspaceResult } from './result.js'
import type { PlanModel } from './plan/model.js'
import { modelFromApiCounts } from './plan/model.js'
import { buildVisiblePlanModel } from './plan/hide-attributes.js'
import { PlanParseError, readJsonPlanFile } from './plan/parse.js'
import { holdsProviderSchemas, usedProviderSchemasInTail } from './plan/schema-tail.js'
import type { SchemaUse } from './plan/schema.js'
import type { JsonPlan } from './plan/types.js'
import { getPlan, getRun } from './tfc/runs.js'
import type { PlanAttributes, PlanSnapshot, RunSnapshot } from './tfc/runs.js'
import { waitForPlan } from './tfc/wait.js'
import {
  isApplyOver,
  isKnownRunStatus,
  isPlanOver,
  isRunOver,
  stoppedBeforePlanning
} from './tfc/run-progress.js'
import { readRunChecks } from './tfc/run-checks.js'
import type { RunChecks } from './run/checks.js'
import { isFailedStatus } from './run/checks.js'
import { downloadJsonPlan, readRedactedPlanTail } from './tfc/json-plan.js'
import { readPlanDiagnostics } from './tfc/logs.js'
import { exportSentinelMocks } from './tfc/exports.js'
import { evaluateGates } from './gates/evaluate.js'
import { runCommit } from './tfc/commit-runs.js'
import { errorMessage } from './util/error-message.js'
import {
  applyPolling,
  applyWaitingPhrase,
  leftAwaitingPerson,
  readApplyReport
} from './apply-stage.js'
import type { ApplyAwaited } from './apply-stage.js'

export type InspectTarget = { runId: string } | { planId: string }

/** What the caller hears of while a target is inspected. */
export interface InspectHooks {
  applyAwaited?: ApplyAwaited
}

export async function inspectTarget(
  client: TfcClient,
  target: InspectTarget,
  settings: Settings,
  signal: AbortSignal,
  concurrent = false,
  hooks: InspectHooks = {}
): Promise<WorkspaceResult> {
  const label = 'runId' in target ? target.runId : target.planId
  const applying = settings.waitFor === 'apply'
  const postPlan = settings.waitFor !== 'plan'
  const poll = (): Promise<RunSnapshot | PlanSnapshot> =>
    'runId' in target ? getRun(client, target.runId, { postPlan }) : getPlan(client, target.planId)

  const wait = (): Promise<RunSnapshot | PlanSnapshot> =>
    waitForPlan(applying ? applyPolling(poll, hooks.applyAwaited) : poll, {
      timeoutMs: settings.waitTimeoutMs,
      maxIntervalMs: settings.pollIntervalMs,
      isOver: applying ? isApplyOver : postPlan ? isRunOver : isPlanOver,
      isKnownRunStatus: postPlan ? isKnownRunStatus : undefined,
      waitingPhrase: applying ? applyWaitingPhrase : undefined,
      signal,
      label,
      log: line => core.info(line)
    })
  // Log groups cannot interleave: runs awaited side by side log plain, labelled lines.
  const waiting = concurrent ? wait() : core.group(`Waiting for ${label}`, wait)
  const snapshot = await (applying ? waiting.catch(leftAwaitingPerson) : waiting)

  const result: WorkspaceResult = {
    hostname: settings.hostname,
    runId: snapshot.runId,
    planId: snapshot.planId,
    organization: snapshot.organization,
    workspace: snapshot.workspaceName,
    runUrl: snapshot.runUrl,
    status: snapshot.planStatus,
    runStatus: snapshot.runStatus,
    model: countsOnlyModel(snapshot.plan),
    diagnostics: [],
    execution: snapshot.execution,
    gates: [],
    warnings: []
  }

  const stopped = stoppedBeforePlanning(snapshot)
  if (snapshot.runId !== undefined && (postPlan || stopped)) {
    result.checks = await readChecks(client, snapshot.runId, snapshot, postPlan)
  }

  if (snapshot.planStatus === 'finished') {
    const warn = (line: string): number => result.warnings.push(line)
    Object.assign(result, await readPlanDetails(client, snapshot, settings, warn))
  } else if (stopped) {
    const culprits = (result.checks?.taskResults ?? []).filter(task => isFailedStatus(task.status))
    const named =
      culprits.length > 0
        ? `: ${culprits.map(task => `run task ${task.name} ${task.status}`).join(', ')}`
        : ''
    result.detailsNote = `There is no plan: the run stopped before planning (run status ${snapshot.runStatus})${named}.`
  } else {
    result.detailsNote = `There is no JSON plan: the plan ${snapshot.planStatus}.`
    if (snapshot.plan.logReadUrl) {
      // Errored plans explain themselves in their log.
      const log = await readPlanDiagnostics(client, snapshot.plan.logReadUrl).catch(
        (error: Error) => {
          result.warnings.push(`The plan log could not be read: ${error.message}`)
          return { diagnostics: [], logTail: undefined }
        }
      )
      result.diagnostics = log.diagnostics
      result.logTail = log.logTail
    }
  }

  if (applying && 'runStatus' in snapshot) {
    result.apply = await readApplyReport(client, snapshot as RunSnapshot, result.warnings)
  }

  result.gates = evaluateGates(result.model, result.status, settings.failOn, settings.protect, {
    checks: result.checks,
    maxMonthlyCostIncrease: settings.maxMonthlyCostIncrease,
    apply: result.apply
  })
  result.commitSha = await ingressCommit(client, snapshot, settings)

  if (settings.sentinelMocks !== 'off') {
    await addSentinelMocks(client, result, settings)
  }
  return result
}

/**
 * The commit of a VCS-driven run, for the comment, when neither commit-sha nor the event says
 * which commit the job plans (e.g. workflow_dispatch with pr-number). Best effort: one request.
 */
async function ingressCommit(
  client: TfcClient,
  snapshot: RunSnapshot | PlanSnapshot,
  settings: Settings
): Promise<string | undefined> {
  const configVersionId =
    'configurationVersionId' in snapshot ? snapshot.configurationVersionId : undefined
  if (settings.commitSha || !settings.comment || !configVersionId) return undefined
  try {
    return (await runCommit(client, configVersionId))?.toLowerCase()
  } catch (error) {
    core.debug(`The run's commit could not be read: ${errorMessage(error)}`)
    return undefined
  }
}

/** The run's post-plan results; the run is read again when waiting did not ask for them. */
async function readChecks(
  client: TfcClient,
  runId: string,
  snapshot: RunSnapshot | PlanSnapshot,
  postPlanRead: boolean
): Promise<RunChecks> {
  const run =
    postPlanRead && 'postPlan' in snapshot && snapshot.postPlan
      ? (snapshot as RunSnapshot)
      : await getRun(client, runId, { postPlan: true })
  const checks = await readRunChecks(client, run)
  for (const note of checks.notes) core.info(`${runId}: ${note}`)
  return checks
}

async function readPlanDetails(
  client: TfcClient,
  snapshot: RunSnapshot | PlanSnapshot,
  settings: Settings,
  warn: (line: string) => void
): Promise<Pick<WorkspaceResult, 'model' | 'jsonPath' | 'detailsNote'>> {
  // Only the redacted plan carries the provider schemas the diffs are read by: when diffs are
  // shown and the full plan is to be had, its end is read beside the full one.
  let redactedSchemas: Promise<SchemasBeside> | undefined
  const download = await downloadJsonPlan(
    client,
    { planId: snapshot.planId },
    {
      destDir: settings.tempDir,
      onFullPlanFound: () => {
        if (settings.details) redactedSchemas = redactedPlanSchemas(client, snapshot.planId)
      }
    }
  )
  // Settled in every case, so no download outlives the step; used beside a full plan only.
  const schemasBeside = redactedSchemas?.then(beside =>
    download.kind === 'json' ? beside : undefined
  )
  if (download.kind === 'unavailable') {
    await schemasBeside
    core.warning(`Showing counts only: ${download.reason}`)
    return { model: countsOnlyModel(snapshot.plan), detailsNote: download.reason }
  }
  let model: PlanModel
  try {
    const [plan, beside] = await Promise.all([readJsonPlanFile(download.path), schemasBeside])
    if (beside?.note !== undefined) warn(beside.note)
    const schemas = beside?.tail && usedProviderSchemasInTail(beside.tail, resourcesOf(plan))
    model = buildVisiblePlanModel(
      {
        // The redacted plan does not name its Terraform version; the run does.
        ...(snapshot.terraformVersion !== undefined && {
          terraform_version: snapshot.terraformVersion
        }),
        ...plan,
        ...(schemas !== undefined && { provider_schemas: schemas })
      },
      download.kind,
      settings.hideAttributes
    )
  } catch (error) {
    await schemasBeside
    // An errored cloud plan can leave `{}` behind: the API's counts are still right.
    if (!(error instanceof PlanParseError)) throw error
    const reason = `The JSON plan could not be read (${error.message}); showing the counts from the API.`
    core.warning(reason)
    return { model: countsOnlyModel(snapshot.plan), detailsNote: reason, jsonPath: download.path }
  }
  core.info(`${snapshot.planId}: ${model.summaryLine} (JSON plan saved to ${download.path})`)
  return { model, jsonPath: download.path }
}

/**
 * The end of the redacted plan that holds its provider schemas, read beside a full plan; or why
 * diffs go without them, when that is news.
 */
interface SchemasBeside {
  tail?: Buffer
  note?: string
}

/** The tails asked for in turn: the AWS provider's schemas alone are about 10 MB. */
const SCHEMA_TAIL_BYTES = [16 << 20, 64 << 20]
/** A server that sends the whole redacted plan anyway is read through up to this size. */
const MAX_WHOLE_REDACTED_BYTES = 48 << 20

/** The end of the redacted plan, with its provider schemas; none when not to be had. */
async function redactedPlanSchemas(client: TfcClient, planId: string): Promise<SchemasBeside> {
  const withoutSchemas = (why: string): SchemasBeside => ({
    note: `Diffs are shown without provider schemas: ${why}.`
  })
  try {
    for (const tailBytes of SCHEMA_TAIL_BYTES) {
      const tail = await readRedactedPlanTail(
        client,
        { planId },
        { tailBytes, maxWholeBytes: MAX_WHOLE_REDACTED_BYTES }
      )
      if (tail === undefined) return {}
      if (tail.kind === 'too-large') {
        return withoutSchemas(
          `the redacted plan is ${megabytes(tail.totalBytes)} and its server does not answer range requests`
        )
      }
      if (holdsProviderSchemas(tail.bytes)) return { tail: tail.bytes }
      if (tail.whole) return {}
    }
    const last = SCHEMA_TAIL_BYTES[SCHEMA_TAIL_BYTES.length - 1]
    return withoutSchemas(`they are not within the last ${megabytes(last)} of the redacted plan`)
  } catch (error) {
    core.debug(`${planId}: the redacted plan's schemas could not be read: ${errorMessage(error)}`)
    return {}
  }
}

const megabytes = (bytes: number): string => `${Math.round(bytes / 1_000_000)} MB`

/** Every resource whose diff may be read with a schema. */
function resourcesOf(plan: JsonPlan): SchemaUse[] {
  return [
    ...(plan.resource_changes ?? []),
    ...(plan.resource_drift ?? []),
    ...(plan.deferred_changes ?? []).map(deferred => deferred.resource_change)
  ]
}

async function addSentinelMocks(
  client: TfcClient,
  result: WorkspaceResult,
  settings: Settings
): Promise<void> {
  if (result.status !== 'finished') {
    const why = `Sentinel mocks were not exported: the plan is ${result.status}.`
    if (settings.sentinelMocks === 'required') throw new Error(why)
    result.warnings.push(why)
    return
  }
  try {
    result.sentinelMocks = await exportSentinelMocks(client, {
      planId: result.planId,
      destRoot: settings.tempDir,
      keep: settings.sentinelMocksKeep,
      timeoutMs: settings.waitTimeoutMs,
      log: line => core.info(line)
    })
  } catch (error) {
    if (settings.sentinelMocks === 'required') throw error
    const why = `Sentinel mocks were not exported: ${errorMessage(error)}`
    core.warning(why)
    result.warnings.push(why)
  }
}

/** The plan's API counts, for when there is no JSON plan (yet, or at all). */
function countsOnlyModel(plan: PlanAttributes): PlanModel {
  return modelFromApiCounts(
    {
      add: plan.resourceAdditions,
      change: plan.resourceChanges,
      destroy: plan.resourceDestructions,
      import: plan.resourceImports
    },
    plan.hasChanges
  )
}
