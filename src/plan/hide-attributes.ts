// The `hide-attributes` input: attributes left out of the diffs (provider-managed `tags_all`,
// timestamps). Only the values shown change: each resource keeps its action, so counts and gates
// stay as they are, and it says how many attribute changes were hidden. Pure.
import type { PlanModel, ResourceChangeModel } from './model.js'
import { buildPlanModel } from './model.js'
import type { JsonChange, JsonPlan, JsonValue } from './types.js'
import { isJsonObject, jsonEqual, marksAnything } from './json-value.js'

/** The plan's model, with the attributes of `hide-attributes` left out of its diffs. */
export function buildVisiblePlanModel(
  plan: JsonPlan,
  source: 'json' | 'redacted-json',
  hidden: readonly string[]
): PlanModel {
  return hideAttributes(buildPlanModel(plan, source), hidden)
}

/**
 * A name (`tags_all`) hides that attribute at any depth; a dotted path (`*.last_modified`,
 * `metadata.labels`) from the resource's top, `*` standing for any one name. Positions in lists
 * and sets are not steps: `*.last_modified` also hides `versioning[0].last_modified`.
 */
export function hideAttributes(model: PlanModel, patterns: readonly string[]): PlanModel {
  if (patterns.length === 0) return model
  const rules = patterns.map(pattern => pattern.split('.'))
  const hide = (resource: ResourceChangeModel): ResourceChangeModel =>
    hideInResource(resource, rules)
  return {
    ...model,
    resources: model.resources.map(hide),
    drift: model.drift.map(hide),
    deferred: model.deferred.map(deferred => ({ ...deferred, resource: hide(deferred.resource) }))
  }
}

type Rule = readonly string[]

/** A change's values and the mirrors beside them, at one place in the value. */
const PARTS = ['before', 'after', 'after_unknown', 'before_sensitive', 'after_sensitive'] as const
type Parts = Partial<Record<(typeof PARTS)[number], JsonValue>>

function hideInResource(
  resource: ResourceChangeModel,
  rules: readonly Rule[]
): ResourceChangeModel {
  const counter = { hidden: 0, removed: 0 }
  const stripped = strip(pick(resource.change), [], rules, counter)
  if (counter.removed === 0) return resource
  const change: JsonChange = { ...resource.change }
  for (const part of PARTS) {
    if (Object.hasOwn(resource.change, part)) change[part] = stripped[part] ?? null
  }
  return { ...resource, change, hiddenAttributeChanges: counter.hidden }
}

function pick(change: JsonChange): Parts {
  const parts: Parts = {}
  for (const part of PARTS) if (change[part] !== undefined) parts[part] = change[part]
  return parts
}

function strip(
  parts: Parts,
  path: readonly string[],
  rules: readonly Rule[],
  counter: { hidden: number; removed: number }
): Parts {
  const values = PARTS.map(part => parts[part])
  if (values.some(isJsonObject)) {
    const names = new Set(values.flatMap(value => (isJsonObject(value) ? Object.keys(value) : [])))
    const result: Parts = { ...parts }
    const objects = PARTS.filter(part => isJsonObject(parts[part]))
    for (const part of objects) result[part] = { ...(parts[part] as object) }
    for (const name of names) {
      const child = childParts(parts, name)
      const childPath = [...path, name]
      if (rules.some(rule => matches(rule, childPath))) {
        counter.removed++
        if (isChanged(child)) counter.hidden++
        for (const part of objects) delete (result[part] as Record<string, JsonValue>)[name]
        continue
      }
      const inner = strip(child, childPath, rules, counter)
      for (const part of objects) {
        const value = inner[part]
        if (value !== undefined) (result[part] as Record<string, JsonValue>)[name] = value
      }
    }
    return result
  }
  if (values.some(Array.isArray)) {
    const length = Math.max(...values.map(value => (Array.isArray(value) ? value.length : 0)))
    const result: Parts = { ...parts }
    const arrays = PARTS.filter(part => Array.isArray(parts[part]))
    for (const part of arrays) result[part] = [...(parts[part] as JsonValue[])]
    for (let index = 0; index < length; index++) {
      const inner = strip(childParts(parts, index), path, rules, counter)
      for (const part of arrays) {
        const list = result[part] as JsonValue[]
        if (index < list.length) list[index] = inner[part] ?? null
      }
    }
    return result
  }
  return parts
}

function childParts(parts: Parts, key: string | number): Parts {
  const child: Parts = {}
  for (const part of PARTS) {
    const value = parts[part]
    const inner =
      typeof key === 'number'
        ? Array.isArray(value)
          ? value[key]
          : undefined
        : isJsonObject(value)
          ? value[key]
          : undefined
    if (inner !== undefined) child[part] = inner
  }
  return child
}

/** A name alone matches at any depth; a path matches from the top, `*` any one name. */
function matches(rule: Rule, path: readonly string[]): boolean {
  if (rule.length === 1) return rule[0] === '*' || rule[0] === path[path.length - 1]
  return rule.length === path.length && rule.every((step, i) => step === '*' || step === path[i])
}

function isChanged(parts: Parts): boolean {
  return !jsonEqual(parts.before, parts.after) || marksAnything(parts.after_unknown)
}
