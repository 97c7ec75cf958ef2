// What HCP Terraform derives from a JSON plan: the plan's counts, the redacted JSON, the
// structured log and the Sentinel mock bundle. Written independently of src/ on purpose: the
// simulator is the oracle the action is tested against, so it must not share the action's code.
import { createHash } from 'node:crypto'

/**
 * @typedef {{ add: number, change: number, destroy: number, import: number }} PlanCounts
 * @typedef {{ actions: string[], importing?: object, before?: unknown, after?: unknown,
 *   before_sensitive?: unknown, after_sensitive?: unknown }} Change
 * @typedef {{ address: string, previous_address?: string, mode?: string, type?: string,
 *   name?: string, action_reason?: string, change: Change }} ResourceChange
 */

/**
 * The parts of a `terraform show -json` plan the simulator reads.
 * @typedef {object} TerraformPlan
 * @property {string} [format_version]
 * @property {string} [terraform_version]
 * @property {ResourceChange[]} [resource_changes]
 * @property {ResourceChange[]} [resource_drift]
 * @property {Record<string, Change>} [output_changes]
 * @property {unknown[]} [relevant_attributes]
 * @property {unknown} [configuration]
 * @property {unknown} [prior_state]
 */

/**
 * Counts as the plan's `resource-additions` etc. (Terraform's `Plan:` line) and `has-changes`.
 * @param {TerraformPlan} plan a parsed `terraform show -json` document
 * @returns {PlanCounts & { hasChanges: boolean }}
 */
export function planCounts(plan) {
  const counts = { add: 0, change: 0, destroy: 0, import: 0 }
  let otherChanges = false
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions.join(',')
    if (rc.change.importing) counts.import++
    if (rc.previous_address && rc.previous_address !== rc.address) otherChanges = true
    if (actions === 'forget') otherChanges = true
    if (rc.mode === 'data') continue
    if (['create', 'create,forget', 'delete,create', 'create,delete'].includes(actions))
      counts.add++
    if (['delete', 'delete,create', 'create,delete'].includes(actions)) counts.destroy++
    if (actions === 'update') counts.change++
  }
  const outputChanges = Object.values(plan.output_changes ?? {}).some(
    oc => oc.actions.join(',') !== 'no-op'
  )
  const anyCounted = counts.add + counts.change + counts.destroy + counts.import > 0
  return { ...counts, hasChanges: anyCounted || otherChanges || outputChanges }
}

/** Terraform's summary line for the counts. @param {PlanCounts} counts */
export function summaryLine(counts) {
  const imports = counts.import > 0 ? `${counts.import} to import, ` : ''
  return `Plan: ${imports}${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy.`
}

/**
 * The `json-output-redacted` shape of a plan: no planned_values/prior_state/configuration, and
 * sensitive values replaced by a hash (as in the real redacted documents).
 * @param {TerraformPlan} plan
 * @param {object} [providerSchemas] the `provider_schemas` HCP Terraform adds (none by default)
 */
export function redactPlan(plan, providerSchemas = {}) {
  const redactChange = (/** @type {Change} */ change) => ({
    ...change,
    before: redactValue(change.before, change.before_sensitive),
    after: redactValue(change.after, change.after_sensitive)
  })
  const redactResource = (/** @type {ResourceChange} */ rc) => ({
    ...rc,
    change: redactChange(rc.change)
  })
  return {
    plan_format_version: plan.format_version ?? '1.2',
    resource_drift: (plan.resource_drift ?? []).map(redactResource),
    resource_changes: (plan.resource_changes ?? []).map(redactResource),
    relevant_attributes: plan.relevant_attributes ?? [],
    output_changes: Object.fromEntries(
      Object.entries(plan.output_changes ?? {}).map(([name, oc]) => [name, redactChange(oc)])
    ),
    // As HCP Terraform writes it: the schemas second to last.
    provider_schemas: providerSchemas,
    provider_format_version: '1.0'
  }
}

/**
 * @param {unknown} value @param {unknown} sensitive the value's sensitivity mask
 * @returns {unknown}
 */
function redactValue(value, sensitive) {
  if (sensitive === true && value != null) {
    return createHash('sha256').update(JSON.stringify(value)).digest('hex')
  }
  if (Array.isArray(value) && Array.isArray(sensitive)) {
    return value.map((item, i) => redactValue(item, sensitive[i]))
  }
  if (isObject(value) && isObject(sensitive)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactValue(item, sensitive[key])])
    )
  }
  return value
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A structured run log (JSON lines) like the one at a plan's log-read-url.
 * @param {{ plan?: TerraformPlan, counts: PlanCounts, terraformVersion: string, errored: boolean }} input
 */
export function structuredLog({ plan, counts, terraformVersion, errored }) {
  const line = (/** @type {string} */ type, /** @type {string} */ message, extra = {}) =>
    JSON.stringify({
      '@level': type === 'diagnostic' ? 'error' : 'info',
      '@message': message,
      '@module': 'terraform.ui',
      '@timestamp': new Date().toISOString(),
      ...extra,
      type
    })
  const lines = [
    line('version', `Terraform ${terraformVersion}`, { terraform: terraformVersion, ui: '1.2' })
  ]
  if (errored) {
    const diagnostic = {
      severity: 'error',
      summary: 'Simulated plan failure',
      detail: 'The plan failed.'
    }
    lines.push(line('diagnostic', `Error: ${diagnostic.summary}`, { diagnostic }))
    return `${lines.join('\n')}\n`
  }
  for (const rc of plan?.resource_changes ?? []) {
    const action = plannedAction(rc.change.actions)
    if (!action) continue
    const resource = { addr: rc.address, resource_type: rc.type, resource_name: rc.name }
    lines.push(
      line('planned_change', `${rc.address}: Plan to ${action}`, { change: { resource, action } })
    )
  }
  const changes = {
    add: counts.add,
    change: counts.change,
    import: counts.import,
    remove: counts.destroy,
    operation: 'plan'
  }
  lines.push(line('change_summary', summaryLine(counts), { changes }))
  return `${lines.join('\n')}\n`
}

/** @param {string[]} actions */
function plannedAction(actions) {
  const key = actions.join(',')
  if (key === 'delete,create' || key === 'create,delete') return 'replace'
  return ['create', 'update', 'delete', 'forget'].includes(key) ? key : undefined
}

/**
 * The files of a `sentinel-mock-bundle-v0` export, with content derived from the plan.
 * @param {TerraformPlan | undefined} plan
 * @returns {{ name: string, content: string }[]}
 */
export function sentinelMockFiles(plan) {
  const sentinelValue = (/** @type {string} */ name, /** @type {unknown} */ value) =>
    `${name} = ${JSON.stringify(value ?? null, null, 2)}\n`
  const resourceChanges = Object.fromEntries(
    (plan?.resource_changes ?? []).map(rc => [rc.address, rc])
  )
  return [
    {
      name: 'mock-tfconfig-v2.sentinel',
      content: sentinelValue('resources', plan?.configuration ?? {})
    },
    {
      name: 'mock-tfplan-v2.sentinel',
      content: sentinelValue('resource_changes', resourceChanges)
    },
    {
      name: 'mock-tfstate-v2.sentinel',
      content: sentinelValue('resources', plan?.prior_state ?? {})
    },
    { name: 'mock-tfrun.sentinel', content: sentinelValue('workspace', { name: 'simulated' }) },
    {
      name: 'sentinel.hcl',
      content: ['tfconfig/v2', 'tfplan/v2', 'tfstate/v2', 'tfrun']
        .map(mock => {
          const file = `mock-${mock.replace('/', '-')}.sentinel`
          return `mock "${mock}" {\n  module {\n    source = "${file}"\n  }\n}\n`
        })
        .join('\n')
    }
  ]
}
