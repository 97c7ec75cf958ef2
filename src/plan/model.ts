// The plan, modelled once. The comment, job summary, outputs and gates all read a PlanModel.
import type {
  JsonChange,
  JsonCheckResult,
  JsonPlan,
  JsonResourceChange,
  JsonValue
} from './types.js'
import type { BlockSchema, ProviderSchemas } from './schema.js'
import { resourceSchema } from './schema.js'

/** What happens to one resource instance, in Terraform's words. */
export type ResourceAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'replace' // delete-then-create or create-then-delete
  | 'read' // data source read during apply
  | 'forget' // removed from state, object kept
  | 'create-forget' // create then forget (Terraform counts it as an add)
  | 'no-op' // kept only when moved or importing

/** Every ResourceAction, in the order reports list them. */
export const RESOURCE_ACTIONS: readonly ResourceAction[] = [
  'create',
  'update',
  'delete',
  'replace',
  'read',
  'forget',
  'create-forget',
  'no-op'
]

export interface ResourceChangeModel {
  address: string
  /** Set when the resource has moved from another address. */
  previousAddress?: string
  moduleAddress?: string
  mode: 'managed' | 'data'
  type: string
  name: string
  providerName?: string
  /** Deposed object key, when the change is for a deposed object. */
  deposed?: string
  action: ResourceAction
  /** Raw `actions` array from the plan, for replace ordering. */
  actions: string[]
  /** Terraform's action_reason (open set). */
  actionReason?: string
  /** Present when the resource will be imported. */
  importing?: { id?: string; identity?: JsonValue }
  /** The raw change object, for attribute diffs. Sensitive values are still inside: mask on render. */
  change: JsonChange
  /** The resource type's schema, when the plan carries its provider's schemas (redacted plans). */
  schema?: BlockSchema
  /** Drift only: the attribute paths that may have affected the plan (relevant_attributes). */
  relevantPaths?: (string | number)[][]
  /** Attribute changes left out of `change` by the `hide-attributes` input. */
  hiddenAttributeChanges?: number
}

export interface OutputChangeModel {
  name: string
  action: ResourceAction
  /** The whole output is sensitive (before or after). */
  sensitive: boolean
  change: JsonChange
}

export interface DeferredChangeModel {
  reason?: string
  resource: ResourceChangeModel
}

export interface FailedCheckModel {
  address: string
  status: string
  problems: string[]
}

export interface PlanCounts {
  add: number
  change: number
  destroy: number
  import: number
  replace: number
  move: number
  forget: number
}

/** The counts of Terraform's `Plan:` line, which are also the ones the API reports for a plan. */
export type HeadlineCounts = Pick<PlanCounts, 'add' | 'change' | 'destroy' | 'import'>

/** Where the model's detail came from. */
export type PlanSource =
  | 'json' // full `json-output`
  | 'redacted-json' // `json-output-redacted`
  | 'api-counts' // only the plan's API attributes: no per-resource detail

export interface PlanModel {
  source: PlanSource
  terraformVersion?: string
  formatVersion?: string
  counts: PlanCounts
  /** True when any counted resource change, import, move, forget or output change exists. */
  hasChanges: boolean
  /** Terraform's line: `Plan: [N to import, ]A to add, C to change, D to destroy.` */
  summaryLine: string
  /** Resource changes worth showing, in plan order (no-ops only when moved or importing). */
  resources: ResourceChangeModel[]
  /** Output changes other than no-op. */
  outputs: OutputChangeModel[]
  /** Every output of the plan, changed or not: Terraform aligns the changed ones to them all. */
  allOutputNames?: string[]
  /** Objects changed outside of Terraform (resource_drift). */
  drift: ResourceChangeModel[]
  deferred: DeferredChangeModel[]
  failedChecks: FailedCheckModel[]
  /** The plan itself says it errored (JSON `errored: true`). */
  errored: boolean
}

// ---------------------------------------------------------------------------------------------
// Building the model. Counting follows Terraform's own renderer (internal/command/jsonformat/plan.go).

const ACTIONS: Readonly<Record<string, ResourceAction>> = {
  'no-op': 'no-op',
  create: 'create',
  read: 'read',
  update: 'update',
  delete: 'delete',
  forget: 'forget',
  'delete,create': 'replace',
  'create,delete': 'replace',
  'create,forget': 'create-forget'
}

/** Maps a plan's `actions` list to one action; an unknown future list takes its most destructive part. */
function resourceAction(actions: readonly string[]): ResourceAction {
  // Own keys only: an action named like an Object.prototype member must not find one.
  const key = actions.join(',')
  if (Object.hasOwn(ACTIONS, key)) return ACTIONS[key]
  if (actions.includes('delete')) return actions.includes('create') ? 'replace' : 'delete'
  return (['forget', 'create', 'update', 'read'] as const).find(a => actions.includes(a)) ?? 'no-op'
}

export function buildPlanModel(plan: JsonPlan, source: 'json' | 'redacted-json'): PlanModel {
  const counts = emptyCounts()
  const resources: ResourceChangeModel[] = []
  const toResourceModel = (change: JsonResourceChange): ResourceChangeModel =>
    toResourceChangeModel(change, plan.provider_schemas)
  for (const change of plan.resource_changes ?? []) {
    const resource = toResourceModel(change)
    if (!isShown(resource)) continue
    resources.push(resource)
    countResource(counts, resource)
  }
  const outputs = Object.entries(plan.output_changes ?? {})
    .map(([name, change]) => ({
      name,
      action: resourceAction(change.actions),
      sensitive: change.before_sensitive === true || change.after_sensitive === true,
      change
    }))
    .filter(output => output.action !== 'no-op')
    // Terraform lists outputs by name.
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))

  const formatVersion = plan.format_version ?? plan.plan_format_version
  return {
    source,
    ...(plan.terraform_version !== undefined && { terraformVersion: plan.terraform_version }),
    ...(formatVersion !== undefined && { formatVersion }),
    counts,
    hasChanges: countsHaveChanges(counts) || outputs.length > 0,
    summaryLine: formatSummaryLine(counts),
    resources,
    outputs,
    allOutputNames: Object.keys(plan.output_changes ?? {}),
    drift: (plan.resource_drift ?? [])
      .map(change => withRelevantPaths(toResourceModel(change), plan.relevant_attributes))
      .filter(r => r.action !== 'no-op'),
    deferred: (plan.deferred_changes ?? []).map(deferred => ({
      ...(deferred.reason !== undefined && { reason: deferred.reason }),
      resource: toResourceModel(deferred.resource_change)
    })),
    failedChecks: (plan.checks ?? []).flatMap(toFailedCheckModel),
    errored: plan.errored === true
  }
}

/** A model from the plan's API counts alone, for when no JSON plan could be had. */
export function modelFromApiCounts(
  apiCounts: Partial<HeadlineCounts>,
  hasChanges: boolean | undefined
): PlanModel {
  const counts: PlanCounts = {
    ...emptyCounts(),
    add: apiCounts.add ?? 0,
    change: apiCounts.change ?? 0,
    destroy: apiCounts.destroy ?? 0,
    import: apiCounts.import ?? 0
  }
  return {
    source: 'api-counts',
    counts,
    hasChanges: hasChanges ?? countsHaveChanges(counts),
    summaryLine: formatSummaryLine(counts),
    resources: [],
    outputs: [],
    drift: [],
    deferred: [],
    failedChecks: [],
    errored: false
  }
}

/** Terraform's line, word for word: `Plan: [N to import, ]A to add, C to change, D to destroy.` */
export function formatSummaryLine(counts: HeadlineCounts): string {
  return `Plan: ${formatCounts(counts)}.`
}

/** The counts of Terraform's line: `[N to import, ]A to add, C to change, D to destroy`. */
export function formatCounts(counts: HeadlineCounts): string {
  const imports = counts.import > 0 ? `${counts.import} to import, ` : ''
  return `${imports}${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy`
}

/** The counts of some of a plan's resources (a module's), by Terraform's rules. */
export function countResources(resources: readonly ResourceChangeModel[]): PlanCounts {
  const counts = emptyCounts()
  for (const resource of resources) countResource(counts, resource)
  return counts
}

export function sumCounts(a: PlanCounts, b: PlanCounts): PlanCounts {
  return {
    add: a.add + b.add,
    change: a.change + b.change,
    destroy: a.destroy + b.destroy,
    import: a.import + b.import,
    replace: a.replace + b.replace,
    move: a.move + b.move,
    forget: a.forget + b.forget
  }
}

export function emptyCounts(): PlanCounts {
  return { add: 0, change: 0, destroy: 0, import: 0, replace: 0, move: 0, forget: 0 }
}

function countsHaveChanges(counts: PlanCounts): boolean {
  const { add, change, destroy, import: imports, move, forget } = counts
  return add + change + destroy + imports + move + forget > 0
}

// Terraform shows no-ops only when they move or import, and never a data source's delete
// (data sources leave the state without anything happening to real objects).
function isShown(resource: ResourceChangeModel): boolean {
  if (resource.action === 'no-op')
    return resource.previousAddress !== undefined || !!resource.importing
  return !(resource.action === 'delete' && resource.mode === 'data')
}

function countResource(counts: PlanCounts, resource: ResourceChangeModel): void {
  if (resource.importing) counts.import++
  if (resource.previousAddress !== undefined) counts.move++
  switch (resource.action) {
    case 'create':
      counts.add++
      break
    case 'update':
      counts.change++
      break
    case 'delete':
      counts.destroy++
      break
    case 'replace':
      counts.add++
      counts.destroy++
      counts.replace++
      break
    // Terraform adds the new object and leaves the old one in place, out of the state: not a destroy.
    case 'create-forget':
      counts.add++
      counts.replace++
      counts.forget++
      break
    case 'forget':
      counts.forget++
      break
  }
}

/** The relevant attribute paths of one drifted resource; none means all of it is shown. */
function withRelevantPaths(
  resource: ResourceChangeModel,
  relevant: JsonPlan['relevant_attributes']
): ResourceChangeModel {
  const paths = (relevant ?? [])
    .filter(attribute => !attribute.resource || attribute.resource === resource.address)
    .flatMap(attribute => (Array.isArray(attribute.attribute) ? [attribute.attribute] : []))
  return paths.length > 0 ? { ...resource, relevantPaths: paths } : resource
}

function toResourceChangeModel(
  change: JsonResourceChange,
  schemas: ProviderSchemas | undefined
): ResourceChangeModel {
  const mode = change.mode === 'data' ? 'data' : 'managed'
  const type = change.type ?? ''
  const schema = resourceSchema(schemas, change.provider_name, mode, type)
  const moved = change.previous_address !== undefined && change.previous_address !== change.address
  const importing = change.change.importing
  return {
    address: change.address,
    ...(moved && { previousAddress: change.previous_address }),
    ...(change.module_address !== undefined && { moduleAddress: change.module_address }),
    mode,
    type,
    name: change.name ?? '',
    ...(change.provider_name !== undefined && { providerName: change.provider_name }),
    ...(change.deposed !== undefined && { deposed: change.deposed }),
    action: resourceAction(change.change.actions),
    actions: [...change.change.actions],
    ...(change.action_reason !== undefined && { actionReason: change.action_reason }),
    // Terraform treats any importing object, even an empty one, as an import.
    ...(importing != null && { importing }),
    change: change.change,
    ...(schema !== undefined && { schema })
  }
}

/** A check that failed or errored, with its instances' problem messages; none for other statuses. */
function toFailedCheckModel(check: JsonCheckResult): FailedCheckModel[] {
  if (check.status !== 'fail' && check.status !== 'error') return []
  const problems = (check.instances ?? []).flatMap(instance =>
    (instance.problems ?? []).flatMap(problem =>
      problem.message === undefined ? [] : [problem.message]
    )
  )
  return [
    { address: check.address?.to_display ?? '(unnamed check)', status: check.status, problems }
  ]
}
