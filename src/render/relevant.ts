// Drift as Terraform shows it in a normal plan: only the attributes the plan's relevant_attributes
// name (those that may have affected the plan) show as changed; the rest read as unchanged.
import type { JsonChange, JsonValue } from '../plan/types.js'
import { isRecord } from '../util/is-record.js'

export type AttributePath = readonly (string | number)[]

/** The change with every part outside `paths` kept as it was before (Terraform's AsNoOp). */
export function onlyRelevant(change: JsonChange, paths: readonly AttributePath[]): JsonChange {
  const before = change.before ?? null
  return {
    ...change,
    after: keepRelevant(before, change.after ?? null, paths),
    after_unknown: keepRelevant(false, change.after_unknown ?? false, paths),
    after_sensitive: keepRelevant(
      change.before_sensitive ?? false,
      change.after_sensitive ?? false,
      paths
    )
  }
}

function keepRelevant(
  before: JsonValue,
  after: JsonValue,
  paths: readonly AttributePath[]
): JsonValue {
  // A path that ends here makes all of this value relevant.
  if (paths.some(path => path.length === 0)) return after
  if (paths.length === 0) return before
  if (Array.isArray(after)) {
    return after.map((item, index) =>
      keepRelevant(elementOf(before, index), item, childPaths(paths, index))
    )
  }
  if (isRecord(after)) {
    const kept: Record<string, JsonValue> = {}
    const keys = new Set([...Object.keys(after), ...(isRecord(before) ? Object.keys(before) : [])])
    for (const key of keys) {
      const value = keepRelevant(
        isRecord(before) && Object.hasOwn(before, key) ? before[key] : null,
        Object.hasOwn(after, key) ? after[key] : null,
        childPaths(paths, key)
      )
      if (value !== null || Object.hasOwn(after, key)) kept[key] = value
    }
    return kept
  }
  return after
}

/** The paths below one key or index; an index may be written as a string ("0"). */
function childPaths(paths: readonly AttributePath[], key: string | number): AttributePath[] {
  return paths
    .filter(path => path.length > 0 && String(path[0]) === String(key))
    .map(path => path.slice(1))
}

function elementOf(value: JsonValue, index: number): JsonValue {
  return Array.isArray(value) && index < value.length ? value[index] : null
}
