// Computes what changed inside a value (a resource's attributes, an output, a JSON string), following
// Terraform's plan renderer (internal/command/jsonformat: structured, differ, jsondiff). Without a
// schema every value is treated the way Terraform treats outputs and JSON strings: objects by key,
// arrays as lists. With one, schema-diff.ts builds the blocks, maps and sets below.
//
// Sensitive values never reach a ValueDiff: a sensitive node keeps only its action and flags.
import type { JsonValue } from '../plan/types.js'
import { isRecord } from '../util/is-record.js'
import { alignSequences, jsonEqual } from './sequence.js'

export type DiffAction = 'create' | 'delete' | 'update' | 'no-op'

interface DiffBase {
  action: DiffAction
  /** This value's change forces the resource to be replaced (`replace_paths`). */
  replace: boolean
}

export type ValueDiff =
  | (DiffBase & { kind: 'primitive'; before: JsonValue; after: JsonValue })
  | (DiffBase & {
      kind: 'object'
      /** Sorted by key, like Terraform. */
      attributes: [key: string, diff: ValueDiff][]
      /** Deleted attributes print `-> null` (resource attributes do, JSON objects do not). */
      attributesShowNull: boolean
    })
  | (DiffBase & {
      kind: 'list'
      elements: ValueDiff[]
      /** Show the unchanged neighbours of each change (lists of values, not of objects). */
      context: boolean
    })
  | (DiffBase & {
      kind: 'sensitive'
      /** What happens to the hidden value itself (the action may say only its marking changed). */
      valueAction: DiffAction
      beforeSensitive: boolean
      afterSensitive: boolean
    })
  | (DiffBase & { kind: 'unknown'; before?: ValueDiff })
  | (DiffBase & { kind: 'type-change'; before: ValueDiff; after: ValueDiff })
  | (DiffBase & {
      kind: 'map'
      /** Sorted by key; keys are always quoted. */
      entries: [key: string, diff: ValueDiff][]
      /** Maps of values align their keys; maps of nested objects do not. */
      alignKeys: boolean
      /** Deleted entries print `-> null` (not in a deleted map, nor in a map of nested objects). */
      entriesShowNull: boolean
    })
  | (DiffBase & {
      kind: 'block'
      /** Sorted by name. */
      attributes: [name: string, diff: ValueDiff][]
      /** Nested blocks, sorted by type name. */
      blocks: BlockGroup[]
    })
  | (DiffBase & { kind: 'write-only'; sensitive: boolean })

/** The nested blocks of one type: one for single and group blocks, any number for the others. */
export interface BlockGroup {
  name: string
  /** Map blocks carry their key (`name "key" {`). */
  entries: { key?: string; diff: ValueDiff }[]
  /** The whole group forces replacement. */
  replace: boolean
  /** The group is unknown until apply. */
  unknown: boolean
}

type Path = readonly (string | number)[]

/** One value's change with its mirrors (after_unknown, *_sensitive) and replace paths. */
export interface ValueChange {
  before: JsonValue
  after: JsonValue
  /** Explicit values are present even when null (list elements); implicit nulls mean absent. */
  beforeExplicit: boolean
  afterExplicit: boolean
  unknown: JsonValue
  beforeSensitive: JsonValue
  afterSensitive: JsonValue
  replacePaths: readonly Path[]
}

/** How a value's objects behave: a resource's attributes, or plain JSON (outputs, JSON strings). */
type ValueMode = 'resource' | 'json'

/**
 * Deeper values are not diffed. Terraform's values are nowhere near this deep, and a hostile one
 * (a JSON string nested thousands of levels) would cost time quadratic in its depth before running
 * out of stack: the caller shows why the diff is missing instead.
 */
const MAX_NESTING = 100

/** A resource's `before`/`after` as Terraform's block differ sees them. */
export function diffResourceValue(change: ValueChange): ValueDiff {
  checkNesting(change)
  // Terraform treats empty strings in a block as null, a legacy of the old SDK.
  const blankToNull = (value: JsonValue): JsonValue =>
    isRecord(value) && Object.values(value).includes('')
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === '' ? null : v]))
      : value
  return diffValue(
    { ...change, before: blankToNull(change.before), after: blankToNull(change.after) },
    'resource'
  )
}

/** An output's value or a JSON string's content. */
export function diffJsonValue(change: ValueChange): ValueDiff {
  checkNesting(change)
  return diffValue(change, 'json')
}

/** A change with no mirrors: a plain before and after. */
export function plainChange(before: JsonValue, after: JsonValue): ValueChange {
  return {
    before,
    after,
    beforeExplicit: false,
    afterExplicit: false,
    unknown: null,
    beforeSensitive: null,
    afterSensitive: null,
    replacePaths: []
  }
}

function diffValue(change: ValueChange, mode: ValueMode): ValueDiff {
  const special = sensitiveOrUnknown(change, inner => diffValue(inner, mode))
  if (special !== undefined) return special

  const replace = forcesReplacement(change)
  const beforeKind = kindOf(change.before)
  const afterKind = kindOf(change.after)
  const created = beforeKind === 'null' && !change.beforeExplicit
  const deleted = afterKind === 'null' && !change.afterExplicit
  if (beforeKind === afterKind || created || deleted) {
    return diffAs(change, beforeKind === 'null' ? afterKind : beforeKind, mode, replace)
  }
  return {
    kind: 'type-change',
    action: 'update',
    replace,
    before: diffAs(asDelete(change), beforeKind, mode, false),
    after: diffAs(asCreate(change), afterKind, mode, false)
  }
}

/**
 * A value that is sensitive (by the plan's marks) or unknown until apply shows as such, whatever
 * its type; `recurse` diffs what an unknown value replaces.
 */
export function sensitiveOrUnknown(
  change: ValueChange,
  recurse: (change: ValueChange) => ValueDiff
): ValueDiff | undefined {
  const replace = forcesReplacement(change)
  const beforeSensitive = marksWhole(change.beforeSensitive, change.before)
  const afterSensitive = marksWhole(change.afterSensitive, change.after)
  if (beforeSensitive || afterSensitive) {
    const valueAction = primitiveAction(change)
    const nullNoOp =
      isMissing(change.before, change.beforeExplicit) &&
      isMissing(change.after, change.afterExplicit)
    const markingChanged = beforeSensitive !== afterSensitive && !nullNoOp
    const action = valueAction === 'no-op' && markingChanged ? 'update' : valueAction
    return { kind: 'sensitive', action, replace, valueAction, beforeSensitive, afterSensitive }
  }

  if (change.unknown === true) {
    // The after value is absent because it is unknown, not because it is deleted.
    const action = primitiveAction({ ...change, afterExplicit: true })
    if (change.before === null) return { kind: 'unknown', action, replace }
    return { kind: 'unknown', action, replace, before: recurse(asDelete(change)) }
  }
  return undefined
}

export function forcesReplacement(change: ValueChange): boolean {
  return change.replacePaths.some(path => path.length === 0)
}

export function checkNesting(change: ValueChange): void {
  if (nestedDeeperThan(change.before, MAX_NESTING) || nestedDeeperThan(change.after, MAX_NESTING)) {
    throw new Error(`a value is nested more than ${MAX_NESTING} levels deep`)
  }
}

/** Walks the value without recursion, stopping as soon as it is found too deep. */
function nestedDeeperThan(value: JsonValue, limit: number): boolean {
  const pending: [JsonValue, number][] = [[value, 0]]
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [JsonValue, number]
    if (typeof node !== 'object' || node === null) continue
    if (depth >= limit) return true
    for (const child of Object.values(node)) pending.push([child, depth + 1])
  }
  return false
}

type JsonKind = 'null' | 'scalar' | 'object' | 'array'

function kindOf(value: JsonValue): JsonKind {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value === 'object' ? 'object' : 'scalar'
}

function diffAs(change: ValueChange, kind: JsonKind, mode: ValueMode, replace: boolean): ValueDiff {
  if (kind === 'object') return diffObject(change, mode, replace)
  if (kind === 'array') return diffList(change, mode, replace)
  return {
    kind: 'primitive',
    action: primitiveAction(change),
    replace,
    before: change.before,
    after: change.after
  }
}

function diffObject(change: ValueChange, mode: ValueMode, replace: boolean): ValueDiff {
  const before = isRecord(change.before) ? change.before : undefined
  const after = isRecord(change.after) ? change.after : undefined
  // Unknown attributes are left out of `after`; the unknown mirror still names them.
  const unknown = isRecord(change.unknown) ? change.unknown : undefined
  const keys = [...new Set([...keysOf(before), ...keysOf(after), ...keysOf(unknown)])].sort()

  let action = iterationAction(before !== undefined, after !== undefined)
  const attributes: [string, ValueDiff][] = []
  for (const key of keys) {
    const child: ValueChange = {
      before: member(before, key),
      after: member(after, key),
      // A resource's null attribute is simply absent; a JSON object's null member is a value.
      beforeExplicit: mode === 'json' && before !== undefined && Object.hasOwn(before, key),
      afterExplicit: mode === 'json' && after !== undefined && Object.hasOwn(after, key),
      unknown: member(unknown, key),
      beforeSensitive: sensitiveChild(change.beforeSensitive, key),
      afterSensitive: sensitiveChild(change.afterSensitive, key),
      replacePaths: childPaths(change.replacePaths, key)
    }
    const diff = diffValue(child, mode)
    // Resource attributes that are null before and after are not shown, nor counted as unchanged.
    if (
      mode === 'resource' &&
      diff.action === 'no-op' &&
      child.before === null &&
      child.after === null
    )
      continue
    attributes.push([key, diff])
    action = combineActions(action, diff.action)
  }
  return { kind: 'object', action, replace, attributes, attributesShowNull: mode === 'resource' }
}

function diffList(change: ValueChange, mode: ValueMode, replace: boolean): ValueDiff {
  const before = Array.isArray(change.before) ? change.before : []
  const after = Array.isArray(change.after) ? change.after : []
  const beforeKeys = before.map(serialize)
  const afterKeys = after.map(serialize)
  const isObjectKey = (key: string): boolean => key.startsWith('{')
  const pairs = alignSequences(beforeKeys, afterKeys, isObjectKey)
  // In a resource, a list of objects is a nested block or attribute: Terraform shows no context.
  const context = mode === 'json' || ![...beforeKeys, ...afterKeys].some(isObjectKey)
  const { elements, action } = diffElements(change, pairs, element => diffValue(element, mode))
  return { kind: 'list', action, replace, elements, context }
}

/** The elements of a list or set, paired (index -1: absent), each diffed by `diffElement`. */
export function diffElements(
  change: ValueChange,
  pairs: readonly (readonly [number, number])[],
  diffElement: (element: ValueChange, position: number) => ValueDiff
): { elements: ValueDiff[]; action: DiffAction } {
  const before = Array.isArray(change.before) ? change.before : []
  const after = Array.isArray(change.after) ? change.after : []
  let action = iterationAction(Array.isArray(change.before), Array.isArray(change.after))
  const elements = pairs.map(([b, a], position) => {
    const diff = diffElement(
      {
        before: b >= 0 && b < before.length ? before[b] : null,
        after: a >= 0 && a < after.length ? after[a] : null,
        beforeExplicit: b >= 0 && b < before.length,
        afterExplicit: a >= 0 && a < after.length,
        unknown: a >= 0 ? element(change.unknown, a) : null,
        beforeSensitive: b >= 0 ? sensitiveChild(change.beforeSensitive, b) : null,
        afterSensitive: a >= 0 ? sensitiveChild(change.afterSensitive, a) : null,
        replacePaths: childPaths(change.replacePaths, a >= 0 ? a : b)
      },
      position
    )
    action = combineActions(action, diff.action)
    return diff
  })
  return { elements, action }
}

function isMissing(value: JsonValue, explicit: boolean): boolean {
  return value === null && !explicit
}

export function primitiveAction(change: ValueChange): DiffAction {
  const beforeMissing = isMissing(change.before, change.beforeExplicit)
  const afterMissing = isMissing(change.after, change.afterExplicit)
  if (beforeMissing && !afterMissing) return 'create'
  if (afterMissing && !beforeMissing) return 'delete'
  return jsonEqual(change.before, change.after) ? 'no-op' : 'update'
}

/** A collection's own action before its children are looked at. */
export function iterationAction(hasBefore: boolean, hasAfter: boolean): DiffAction {
  if (hasBefore === hasAfter) return 'no-op'
  return hasBefore ? 'delete' : 'create'
}

export function combineActions(current: DiffAction, next: DiffAction): DiffAction {
  if (next === 'no-op') return current
  return current === next ? current : 'update'
}

function asDelete(change: ValueChange): ValueChange {
  return { ...change, after: null, afterExplicit: false, unknown: null, afterSensitive: null }
}

function asCreate(change: ValueChange): ValueChange {
  return { ...change, before: null, beforeExplicit: false, beforeSensitive: null }
}

function keysOf(value: { [key: string]: JsonValue } | undefined): string[] {
  return value === undefined ? [] : Object.keys(value)
}

export function member(value: { [key: string]: JsonValue } | undefined, key: string): JsonValue {
  return value !== undefined && Object.hasOwn(value, key) ? value[key] : null
}

export function element(value: JsonValue, index: number): JsonValue {
  return Array.isArray(value) && index < value.length ? value[index] : null
}

/**
 * Whether a sensitive mirror hides the whole value. A mirror whose shape does not match the value's
 * (an array over an object, a string, a number) cannot tell which parts are safe: all is hidden.
 */
export function marksWhole(mirror: JsonValue, value: JsonValue): boolean {
  if (mirror === null || mirror === false) return false
  if (mirror === true) return true
  if (value === null) return false
  const sameShape =
    typeof mirror === 'object' &&
    typeof value === 'object' &&
    Array.isArray(mirror) === Array.isArray(value)
  return !sameShape
}

/**
 * The sensitive mirror of a child. A parent marked sensitive as a whole marks every child: a caller
 * that walks into such a value still finds each part sensitive.
 */
export function sensitiveChild(mirror: JsonValue, key: string | number): JsonValue {
  if (mirror === true) return true
  if (typeof key === 'string' && isRecord(mirror))
    return Object.hasOwn(mirror, key) ? mirror[key] : false
  if (typeof key === 'number' && Array.isArray(mirror))
    return key < mirror.length ? mirror[key] : false
  return false
}

export function childPaths(paths: readonly Path[], key: string | number): Path[] {
  return paths.filter(path => path.length > 0 && path[0] === key).map(path => path.slice(1))
}

export function serialize(value: JsonValue): string {
  return JSON.stringify(value)
}
