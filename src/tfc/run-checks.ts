// Reads what HCP Terraform decided after the plan into the RunChecks model: task stages with
// their task results and policy evaluations, policy-set outcomes, legacy Sentinel policy checks
// with their output, and the cost estimate. A part the server does not offer or the token may not
// read (400, 403, 404) becomes a one-line note, never a failed step.
import type { JsonApiDocument, JsonApiResource } from './api-types.js'
import type { TfcClient } from './client.js'
import type { RunSnapshot } from './runs.js'
import { isRecord } from '../util/is-record.js'
import {
  asCount,
  asString,
  findIncluded,
  listedResources,
  nextPage,
  primaryResource,
  relatedIds
} from './jsonapi.js'
import type {
  CostEstimate,
  PolicyOutcome,
  PolicySet,
  RunChecks,
  TaskResult
} from '../run/checks.js'
import { parseSentinelOutput } from '../run/sentinel-output.js'
import { isDecimal } from '../run/decimal.js'
import { openTemporaryUrl } from './temporary-url.js'

/** Answers that mean "not here": the feature is off, the server older, or the token lacks a permission. */
const NOT_OFFERED = [400, 403, 404]
const PAGE_SIZE = 100
/** Enough for any real run; stops a server that pages forever. */
const MAX_PAGES = 50

export async function readRunChecks(client: TfcClient, snapshot: RunSnapshot): Promise<RunChecks> {
  const notes: string[] = []
  const links = snapshot.postPlan
  const checks: RunChecks = {
    runStatus: snapshot.runStatus,
    taskResults: [],
    policySets: [],
    notes
  }
  if (!links) return checks

  if (links.taskStages === undefined) {
    notes.push('Run tasks and policy evaluations: this server does not report task stages.')
  }
  for (const stage of links.taskStages ?? []) {
    const read = await readTaskStage(client, stage.id, notes)
    checks.taskResults.push(...read.taskResults)
    checks.policySets.push(...read.policySets)
  }
  for (const id of await listPolicyCheckIds(client, snapshot.runId, links.policyCheckIds, notes)) {
    const set = await readPolicyCheck(client, id, notes)
    if (set) checks.policySets.push(set)
  }
  if (links.costEstimate) {
    checks.cost = await readCostEstimate(client, links.costEstimate.id, notes)
  }
  return checks
}

/** The resource, or undefined with a note when the server does not offer it. */
async function getOptional(
  client: TfcClient,
  path: string,
  what: string,
  notes: string[],
  query: Record<string, string | number> = {}
): Promise<JsonApiDocument | undefined> {
  const answer = await client.api<JsonApiDocument>(path, { query, accept: NOT_OFFERED })
  if (NOT_OFFERED.includes(answer.status)) {
    notes.push(
      `${what} could not be read (HTTP ${answer.status}: ${notOfferedReason(answer.status)}).`
    )
    return undefined
  }
  return answer.body
}

function notOfferedReason(status: number): string {
  if (status === 400) return 'this server does not support it'
  if (status === 403) return 'the token lacks the permission'
  return 'not enabled, or the token may not read it'
}

async function readTaskStage(
  client: TfcClient,
  stageId: string,
  notes: string[]
): Promise<{ taskResults: TaskResult[]; policySets: PolicySet[] }> {
  const path = `/task-stages/${encodeURIComponent(stageId)}`
  const body = await getOptional(client, path, `Task stage ${stageId}`, notes, {
    include: 'task_results,policy_evaluations'
  })
  if (!body) return { taskResults: [], policySets: [] }
  const stage = primaryResource(body, `GET ${path}`)
  const stageName = asString(stage.attributes?.stage) ?? 'unknown'
  const taskResults = await Promise.all(
    relatedIds(stage, 'task-results').map(async id => {
      const resource = await includedOrRead(client, body, 'task-results', id, notes)
      return resource && toTaskResult(resource, stageName)
    })
  )
  const policySets: PolicySet[] = []
  for (const id of relatedIds(stage, 'policy-evaluations')) {
    const evaluation = await includedOrRead(client, body, 'policy-evaluations', id, notes)
    if (evaluation) policySets.push(...(await readPolicySetOutcomes(client, evaluation, notes)))
  }
  return { taskResults: taskResults.filter(task => task !== undefined), policySets }
}

const DESCRIBED = { 'task-results': 'Task result', 'policy-evaluations': 'Policy evaluation' }

/** A related resource from the stage's `included`, else read on its own (when it was left out). */
async function includedOrRead(
  client: TfcClient,
  body: JsonApiDocument,
  type: keyof typeof DESCRIBED,
  id: string,
  notes: string[]
): Promise<JsonApiResource | undefined> {
  return (
    findIncluded(body, type, id) ??
    getResource(client, `/${type}/${encodeURIComponent(id)}`, notes, `${DESCRIBED[type]} ${id}`)
  )
}

async function getResource(
  client: TfcClient,
  path: string,
  notes: string[],
  what: string
): Promise<JsonApiResource | undefined> {
  const body = await getOptional(client, path, what, notes)
  return body && primaryResource(body, `GET ${path}`)
}

function toTaskResult(resource: JsonApiResource, stage: string): TaskResult {
  const a = resource.attributes ?? {}
  return {
    name: asString(a['task-name']) ?? resource.id,
    stage: asString(a.stage) ?? stage,
    status: asString(a.status) ?? 'unknown',
    enforcement: asString(a['workspace-task-enforcement-level']) ?? 'unknown',
    message: asString(a.message),
    url: asString(a.url)
  }
}

/** Every page of a list; the items of the pages that could be read. */
async function listAll(
  client: TfcClient,
  path: string,
  what: string,
  notes: string[]
): Promise<JsonApiResource[] | undefined> {
  const items: JsonApiResource[] = []
  let page: number | null | undefined = 1
  for (let read = 0; page && read < MAX_PAGES; read++) {
    const body = await getOptional(client, path, what, notes, {
      'page[number]': page,
      'page[size]': PAGE_SIZE
    })
    if (!body) return read === 0 ? undefined : items
    items.push(...listedResources(body))
    page = nextPage(body)
  }
  return items
}

async function readPolicySetOutcomes(
  client: TfcClient,
  evaluation: JsonApiResource,
  notes: string[]
): Promise<PolicySet[]> {
  const a = evaluation.attributes ?? {}
  const kind = asString(a['policy-kind']) ?? 'unknown'
  const status = asString(a.status) ?? 'unknown'
  const outcomes = await listAll(
    client,
    `/policy-evaluations/${encodeURIComponent(evaluation.id)}/policy-set-outcomes`,
    `Policy set outcomes of ${evaluation.id}`,
    notes
  )
  if (outcomes === undefined || outcomes.length === 0) {
    return [
      {
        name: `Policy evaluation ${evaluation.id}`,
        kind,
        status,
        overridden: status === 'overridden',
        outcomes: []
      }
    ]
  }
  return outcomes.map(outcome => {
    const o = outcome.attributes ?? {}
    return {
      name: asString(o['policy-set-name']) ?? outcome.id,
      kind,
      status,
      overridden: status === 'overridden',
      error: asString(o.error),
      outcomes: Array.isArray(o.outcomes) ? o.outcomes.filter(isRecord).map(toPolicyOutcome) : []
    }
  })
}

/** The outcomes inside a policy-set outcome use snake_case keys. */
function toPolicyOutcome(raw: Record<string, unknown>): PolicyOutcome {
  const prints = Array.isArray(raw.output)
    ? raw.output.flatMap(entry =>
        isRecord(entry) && typeof entry.print === 'string' ? [entry.print] : []
      )
    : []
  return {
    name: asString(raw.policy_name) ?? 'unnamed policy',
    status: asString(raw.status) ?? 'unknown',
    enforcement: asString(raw.enforcement_level) ?? 'unknown',
    description: asString(raw.description),
    output: prints.length > 0 ? prints.join('\n') : undefined
  }
}

/** IDs from the run's relationship, or else from the list (which a run document may leave out). */
async function listPolicyCheckIds(
  client: TfcClient,
  runId: string,
  related: string[],
  notes: string[]
): Promise<string[]> {
  if (related.length > 0) return related
  const listed = await listAll(
    client,
    `/runs/${encodeURIComponent(runId)}/policy-checks`,
    'Sentinel policy checks',
    notes
  )
  return (listed ?? []).map(check => check.id)
}

const LEGACY_FAILED_ENFORCEMENT: Readonly<Record<string, string>> = {
  hard_failed: 'hard-mandatory',
  soft_failed: 'soft-mandatory'
}

async function readPolicyCheck(
  client: TfcClient,
  id: string,
  notes: string[]
): Promise<PolicySet | undefined> {
  const path = `/policy-checks/${encodeURIComponent(id)}`
  const check = await getResource(client, path, notes, `Sentinel policy check ${id}`)
  if (!check) return undefined
  const status = asString(check.attributes?.status) ?? 'unknown'
  const output = await readPolicyCheckOutput(client, `${path}/output`, notes, id)
  const parsed = output === undefined ? [] : parseSentinelOutput(output)
  const outcomes =
    parsed.length > 0
      ? parsed
      : [
          {
            name: 'Sentinel policies',
            status: status === 'passed' || status === 'overridden' ? 'passed' : status,
            enforcement: LEGACY_FAILED_ENFORCEMENT[status] ?? 'unknown',
            output
          }
        ]
  const scope = asString(check.attributes?.scope)
  const result = isRecord(check.attributes?.result) ? check.attributes.result : {}
  const failed = asCount(result['total-failed'])
  return {
    name: `Sentinel policy check${scope ? ` (${scope})` : ''}`,
    kind: 'sentinel',
    status,
    overridden: status === 'overridden',
    error: status === 'errored' && failed === undefined ? 'the policy check errored' : undefined,
    outcomes
  }
}

/** The Sentinel text output: inline, or behind a redirect to a temporary URL. */
async function readPolicyCheckOutput(
  client: TfcClient,
  path: string,
  notes: string[],
  id: string
): Promise<string | undefined> {
  const answer = await client.api<string>(path, { text: true, accept: [...NOT_OFFERED, 302, 307] })
  if (answer.location !== undefined && (answer.status === 302 || answer.status === 307)) {
    return (await openTemporaryUrl(client, answer.location)).text()
  }
  if (NOT_OFFERED.includes(answer.status)) {
    notes.push(
      `The output of Sentinel policy check ${id} could not be read (HTTP ${answer.status}).`
    )
    return undefined
  }
  return answer.body
}

async function readCostEstimate(
  client: TfcClient,
  id: string,
  notes: string[]
): Promise<CostEstimate | undefined> {
  const estimate = await getResource(
    client,
    `/cost-estimates/${encodeURIComponent(id)}`,
    notes,
    'The cost estimate'
  )
  if (!estimate) return undefined
  const a = estimate.attributes ?? {}
  const decimal = (name: string): string | undefined => {
    const value = asString(a[name])
    return value !== undefined && isDecimal(value) ? value : undefined
  }
  return {
    status: asString(a.status) ?? 'unknown',
    priorMonthly: decimal('prior-monthly-cost'),
    proposedMonthly: decimal('proposed-monthly-cost'),
    deltaMonthly: decimal('delta-monthly-cost'),
    matched: asCount(a['matched-resources-count']),
    unmatched: asCount(a['unmatched-resources-count']),
    errorMessage: asString(a['error-message'])
  }
}
