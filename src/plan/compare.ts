// What differs between the plan a pull request's comment showed last and the plan of this push:
// resources (and outputs) newly in the plan, no longer in it, and planned differently. Pure.
import type { PlanModel, ResourceAction } from './model.js'
import type { JsonChange, JsonValue } from './types.js'
import { isJsonObject, jsonEqual, marksAnything } from './json-value.js'

/** A resource (or `output.<name>`) in one of the two plans only. */
export interface PlannedEntry {
  address: string
  action: ResourceAction
}

/** A resource (or output) in both plans whose planned change differs. */
export interface ReplannedEntry {
  address: string
  previousAction: ResourceAction
  action: ResourceAction
  /** Top-level attributes whose planned change differs; empty when the value is not an object. */
  attributes: string[]
}

export interface PlanComparison {
  added: PlannedEntry[]
  removed: PlannedEntry[]
  replanned: ReplannedEntry[]
}

interface ComparedEntry extends PlannedEntry {
  change: JsonChange
}

/** Both plans' shown changes compared by address, in the current plan's order (removed: previous). */
export function comparePlans(previous: PlanModel, current: PlanModel): PlanComparison {
  const before = entriesOf(previous)
  const after = entriesOf(current)
  const comparison: PlanComparison = { added: [], removed: [], replanned: [] }
  for (const [key, entry] of after) {
    const earlier = before.get(key)
    if (earlier === undefined) {
      comparison.added.push({ address: entry.address, action: entry.action })
      continue
    }
    const attributes = differingAttributes(earlier.change, entry.change)
    if (earlier.action !== entry.action || attributes !== undefined) {
      comparison.replanned.push({
        address: entry.address,
        previousAction: earlier.action,
        action: entry.action,
        attributes: attributes ?? []
      })
    }
  }
  for (const [key, entry] of before) {
    if (!after.has(key)) comparison.removed.push({ address: entry.address, action: entry.action })
  }
  return comparison
}

export function isSamePlan(comparison: PlanComparison): boolean {
  const { added, removed, replanned } = comparison
  return added.length + removed.length + replanned.length === 0
}

/** Keyed by address (and deposed object); outputs as `output.<name>`, a name no resource has. */
function entriesOf(model: PlanModel): Map<string, ComparedEntry> {
  const entries = new Map<string, ComparedEntry>()
  for (const resource of model.resources) {
    const key = resource.deposed
      ? `${resource.address} deposed ${resource.deposed}`
      : resource.address
    entries.set(key, {
      address: resource.address,
      action: resource.action,
      change: resource.change
    })
  }
  for (const output of model.outputs) {
    const address = `output.${output.name}`
    entries.set(address, { address, action: output.action, change: output.change })
  }
  return entries
}

/** The parts of a change that say what is planned for one value. */
const PLANNED_PARTS = [
  'before',
  'after',
  'after_unknown',
  'before_sensitive',
  'after_sensitive'
] as const

type PlannedParts = Record<(typeof PLANNED_PARTS)[number], JsonValue | undefined>

/**
 * The top-level attributes whose planned change differs (sorted), [] when a non-object value
 * differs, undefined when nothing does. A sensitive value counts only by its marks: one plan may
 * be the redacted one, which leaves sensitive values out.
 */
function differingAttributes(previous: JsonChange, current: JsonChange): string[] | undefined {
  const was = partsOf(previous)
  const is = partsOf(current)
  const objects = [was.before, was.after, is.before, is.after].filter(isJsonObject)
  if (objects.length === 0) return samePlanned(was, is) ? undefined : []
  const names = [...new Set(objects.flatMap(value => Object.keys(value)))].sort()
  const differing = names.filter(
    name => !samePlanned(memberParts(was, name), memberParts(is, name))
  )
  return differing.length > 0 ? differing : undefined
}

function partsOf(change: JsonChange): PlannedParts {
  return {
    before: change.before,
    after: change.after,
    after_unknown: change.after_unknown,
    before_sensitive: change.before_sensitive,
    after_sensitive: change.after_sensitive
  }
}

function memberParts(parts: PlannedParts, name: string): PlannedParts {
  const member = (value: JsonValue | undefined): JsonValue | undefined =>
    isJsonObject(value) && Object.hasOwn(value, name) ? value[name] : undefined
  return Object.fromEntries(PLANNED_PARTS.map(part => [part, member(parts[part])])) as PlannedParts
}

/** The mirrors beside a value: what is unknown and what is sensitive. */
const MIRRORS = ['after_unknown', 'before_sensitive', 'after_sensitive'] as const

function samePlanned(a: PlannedParts, b: PlannedParts): boolean {
  const sensitive = [a, b].some(
    parts => marksAnything(parts.before_sensitive) || marksAnything(parts.after_sensitive)
  )
  const compared = sensitive ? MIRRORS : PLANNED_PARTS
  return compared.every(part => jsonEqual(normalized(a, part), normalized(b, part)))
}

/** A mirror that marks nothing (`false`, `{}`, absent) says the same as any other such one. */
function normalized(parts: PlannedParts, part: keyof PlannedParts): JsonValue | undefined {
  const value = parts[part]
  const isMirror = part !== 'before' && part !== 'after'
  return isMirror && !marksAnything(value) ? undefined : value
}
