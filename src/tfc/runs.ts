// A run's or plan's current state, read from the API into a typed snapshot (one poll's worth).
import type { ExecutionDetails } from '../result.js'
import type { JsonApiDocument, JsonApiResource } from './api-types.js'
import type { TfcClient } from './client.js'
import { TfcApiError, apiErrorMessage } from './errors.js'
import { isRecord } from '../util/is-record.js'
import {
  asCount,
  asString,
  findIncluded,
  primaryResource,
  relatedId,
  relatedIds,
  stringAttribute
} from './jsonapi.js'

/** The plan's own attributes; counts are absent until the plan has finished. */
export interface PlanAttributes {
  hasChanges?: boolean
  resourceAdditions?: number
  resourceChanges?: number
  resourceDestructions?: number
  /** Null on Terraform and TFE versions that do not count imports. */
  resourceImports?: number
  /** Open map: `queued-at`, `started-at`, `finished-at`, `errored-at`, … (ISO times). */
  statusTimestamps: Record<string, string>
  /** Secret URL of the plan's log: never log it. */
  logReadUrl?: string
  /** API paths of the plan's JSON, when the plan document links them. */
  links: { jsonOutput?: string; jsonOutputRedacted?: string }
}

export interface PlanSnapshot {
  planId: string
  /** pending, managed_queued, queued, running, finished, errored, canceled, unreachable, … */
  planStatus: string
  plan: PlanAttributes
  execution?: ExecutionDetails
  runId?: string
  runStatus?: string
  workspaceId?: string
  workspaceName?: string
  organization?: string
  /** `<origin>/app/<org>/<workspace>/runs/<run-id>`, as the Terraform CLI prints it. */
  runUrl?: string
  /** The run's Terraform version (redacted JSON plans do not name it). */
  terraformVersion?: string
}

export interface RunSnapshot extends PlanSnapshot {
  runId: string
  runStatus: string
  configurationVersionId?: string
  /** Read when the run was asked for with its post-plan work (`postPlan`). */
  postPlan?: PostPlanLinks
  /** A speculative plan (`plan-only`): it can never be applied. */
  planOnly?: boolean
  /** `actions.is-confirmable`: the run waits for a person (or auto-apply) to confirm it. */
  confirmable?: boolean
  /** The run's apply (`relationships.apply`), once the server links it. */
  applyId?: string
}

/** What the run document says about its post-plan work, as far as one request can tell. */
export interface PostPlanLinks {
  /** Undefined when the server does not know task stages (older TFE). */
  taskStages?: { id: string; stage: string; status: string }[]
  /** Null when cost estimation is off. */
  costEstimate: { id: string; status: string } | null
  policyCheckIds: string[]
}

/** Servers that answered 400 to `include=task_stages` (older TFE): not asked again. */
const withoutTaskStages = new WeakSet<TfcClient>()

/**
 * `GET /runs/:id?include=plan,workspace`: one request, unless the server leaves out `included`.
 * With `postPlan`, the task stages and the cost estimate come along in the same request (asked
 * again without task stages when an older TFE rejects that include).
 */
export async function getRun(
  client: TfcClient,
  runId: string,
  options: { postPlan?: boolean } = {}
): Promise<RunSnapshot> {
  const path = `/runs/${encodeURIComponent(runId)}`
  const body = options.postPlan
    ? await getRunWithPostPlan(client, path)
    : (await client.api<JsonApiDocument>(path, { query: { include: 'plan,workspace' } })).body
  const run = primaryResource(body, `GET ${path}`)
  const planId = relatedId(run, 'plan')
  if (planId === undefined) throw new Error(`Run ${runId} has no plan in HCP Terraform's answer.`)
  const workspaceId = relatedId(run, 'workspace')
  const [plan, workspace] = await Promise.all([
    findIncluded(body, 'plans', planId) ?? fetchResource(client, `/plans/${planId}`),
    workspaceId === undefined
      ? undefined
      : (findIncluded(body, 'workspaces', workspaceId) ??
        fetchResource(client, `/workspaces/${workspaceId}`))
  ])
  const terraformVersion = stringAttribute(run, 'terraform-version')
  const actions = isRecord(run.attributes?.actions) ? run.attributes.actions : {}
  return {
    ...planSnapshot(plan),
    runId: run.id,
    runStatus: stringAttribute(run, 'status') ?? 'unknown',
    configurationVersionId: relatedId(run, 'configuration-version'),
    planOnly: run.attributes?.['plan-only'] === true,
    confirmable: actions['is-confirmable'] === true,
    applyId: relatedId(run, 'apply'),
    ...(terraformVersion !== undefined && { terraformVersion }),
    ...workspaceContext(client.origin, workspace, run.id),
    ...(options.postPlan
      ? { postPlan: postPlanLinks(body, run, !withoutTaskStages.has(client)) }
      : {})
  }
}

async function getRunWithPostPlan(
  client: TfcClient,
  path: string
): Promise<JsonApiDocument | undefined> {
  /** The body, or 'rejected' when an older server does not know one of the include values. */
  const ask = async (include: string): Promise<{ body?: JsonApiDocument } | 'rejected'> => {
    const answer = await client.api<JsonApiDocument>(path, { query: { include }, accept: [400] })
    if (answer.status !== 400) return { body: answer.body }
    const said = JSON.stringify(answer.body ?? '')
    if (/invalid include/i.test(said)) return 'rejected'
    throw new TfcApiError(apiErrorMessage(`GET ${path}?include=${include}`, 400, said), 400)
  }
  if (!withoutTaskStages.has(client)) {
    const answer = await ask('plan,workspace,cost_estimate,task_stages')
    if (answer !== 'rejected') return answer.body
    withoutTaskStages.add(client)
  }
  const answer = await ask('plan,workspace,cost_estimate')
  if (answer === 'rejected') {
    throw new TfcApiError(`GET ${path}: the server rejected include=cost_estimate (400).`, 400)
  }
  return answer.body
}

function postPlanLinks(
  document: JsonApiDocument | undefined,
  run: JsonApiResource,
  taskStagesKnown: boolean
): PostPlanLinks {
  const costId = relatedId(run, 'cost-estimate')
  const cost = costId === undefined ? undefined : findIncluded(document, 'cost-estimates', costId)
  const stageIds = relatedIds(run, 'task-stages')
  return {
    taskStages: taskStagesKnown
      ? stageIds.map(id => {
          const stage = findIncluded(document, 'task-stages', id)
          return {
            id,
            stage: (stage && stringAttribute(stage, 'stage')) ?? 'unknown',
            // Not included: assume it is still going, so waiting goes on until it can be read.
            status: (stage && stringAttribute(stage, 'status')) ?? 'pending'
          }
        })
      : undefined,
    costEstimate:
      costId === undefined
        ? null
        : { id: costId, status: (cost && stringAttribute(cost, 'status')) ?? 'pending' },
    policyCheckIds: relatedIds(run, 'policy-checks')
  }
}

/**
 * `GET /plans/:id`. HCP Terraform's plan document links neither its run nor its workspace, so
 * for a plan ID those stay unknown; when a server does link them, they are read as well (the
 * run, or else the workspace: one more request).
 */
export async function getPlan(client: TfcClient, planId: string): Promise<PlanSnapshot> {
  const plan = await fetchResource(client, `/plans/${encodeURIComponent(planId)}`)
  const runId = relatedId(plan, 'run')
  if (runId !== undefined) return getRun(client, runId)
  const workspaceId = relatedId(plan, 'workspace')
  const workspace =
    workspaceId === undefined
      ? undefined
      : await fetchResource(client, `/workspaces/${workspaceId}`)
  return { ...planSnapshot(plan), ...workspaceContext(client.origin, workspace, undefined) }
}

/** The API's `execution-details` (kebab-case, null before the plan starts) as a result field. */
export function toExecutionDetails(raw: unknown): ExecutionDetails | undefined {
  if (!isRecord(raw)) return undefined
  const details: ExecutionDetails = {
    mode: asString(raw.mode),
    agentId: asString(raw['agent-id']),
    agentName: asString(raw['agent-name']),
    agentPoolId: asString(raw['agent-pool-id']),
    agentPoolName: asString(raw['agent-pool-name'])
  }
  return Object.values(details).some(value => value !== undefined) ? details : undefined
}

function planSnapshot(plan: JsonApiResource): PlanSnapshot {
  const attributes = plan.attributes ?? {}
  const timestamps = isRecord(attributes['status-timestamps'])
    ? attributes['status-timestamps']
    : {}
  return {
    planId: plan.id,
    planStatus: asString(attributes.status) ?? 'unknown',
    plan: {
      hasChanges:
        typeof attributes['has-changes'] === 'boolean' ? attributes['has-changes'] : undefined,
      resourceAdditions: asCount(attributes['resource-additions']),
      resourceChanges: asCount(attributes['resource-changes']),
      resourceDestructions: asCount(attributes['resource-destructions']),
      resourceImports: asCount(attributes['resource-imports']),
      logReadUrl: asString(attributes['log-read-url']),
      statusTimestamps: Object.fromEntries(
        Object.entries(timestamps).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string'
        )
      ),
      links: {
        jsonOutput: asString(plan.links?.['json-output']),
        jsonOutputRedacted: asString(plan.links?.['json-output-redacted'])
      }
    },
    execution: toExecutionDetails(attributes['execution-details'])
  }
}

function workspaceContext(
  origin: string,
  workspace: JsonApiResource | undefined,
  runId: string | undefined
): Pick<PlanSnapshot, 'workspaceId' | 'workspaceName' | 'organization' | 'runUrl'> {
  if (workspace === undefined) return {}
  const workspaceName = stringAttribute(workspace, 'name')
  const organization = relatedId(workspace, 'organization')
  const runUrl =
    workspaceName && organization && runId
      ? `${origin}/app/${encodeURIComponent(organization)}/${encodeURIComponent(workspaceName)}/runs/${encodeURIComponent(runId)}`
      : undefined
  return { workspaceId: workspace.id, workspaceName, organization, runUrl }
}

async function fetchResource(client: TfcClient, path: string): Promise<JsonApiResource> {
  const { body } = await client.api<JsonApiDocument>(path)
  return primaryResource(body, `GET ${path}`)
}
