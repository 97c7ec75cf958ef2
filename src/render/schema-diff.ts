// A resource's change read with its provider's schema, by the rules of Terraform's differ
// (internal/command/jsonformat/differ): nested blocks by nesting mode, nested attributes, and typed
// attributes — maps with quoted keys, objects, lists with context, sets matched by value. Values a
// schema does not type (`dynamic`) are diffed like outputs.
//
// Attributes the schema marks sensitive are hidden even where the plan's marks do not say so.
import type { JsonValue } from '../plan/types.js'
import type { BlockSchema, BlockType, NestedAttributes, SchemaAttribute } from '../plan/schema.js'
import { isRecord } from '../util/is-record.js'
import { alignSequences, jsonEqual } from './sequence.js'
import {
  checkNesting,
  childPaths,
  combineActions,
  diffElements,
  diffJsonValue,
  element,
  forcesReplacement,
  iterationAction,
  marksWhole,
  member,
  primitiveAction,
  sensitiveChild,
  sensitiveOrUnknown,
  serialize
} from './value-diff.js'
import type { BlockGroup, DiffAction, ValueChange, ValueDiff } from './value-diff.js'

/**
 * A resource's `before`/`after` as Terraform diffs them against the resource type's schema;
 * undefined when the values do not fit the schema (an attribute it does not name would go
 * unseen), so the caller shows them without it.
 */
export function diffBlockValue(change: ValueChange, block: BlockSchema): ValueDiff | undefined {
  checkNesting(change)
  if (!fitsBlock(change.before, block) || !fitsBlock(change.after, block)) return undefined
  return diffBlock(change, block, isLegacy(block))
}

function fitsBlock(value: JsonValue, block: BlockSchema): boolean {
  if (value === null) return true
  if (!isRecord(value)) return false
  const { attributes = {}, block_types: blockTypes = {} } = block
  return Object.keys(value).every(
    key => Object.hasOwn(attributes, key) || Object.hasOwn(blockTypes, key)
  )
}

/**
 * Schemas the old plugin SDK could produce: it could not tell an empty string from null, so
 * Terraform shows such strings as null. A block type the SDK did not have turns this off below it.
 */
function isLegacy(block: BlockSchema): boolean {
  const blockTypes = Object.values(block.block_types ?? {})
  if (blockTypes.some(type => type.nesting_mode === 'map' || type.nesting_mode === 'group'))
    return false
  return Object.values(block.attributes ?? {}).every(
    attribute => attribute.nested_type === undefined && isLegacyType(attribute.type ?? null)
  )
}

function isLegacyType(type: JsonValue): boolean {
  if (type === 'dynamic') return false
  if (!Array.isArray(type)) return true
  const [kind, inner] = type
  if (kind === 'object' || kind === 'tuple') return false
  // A collection of collections only of primitives.
  if (Array.isArray(inner)) {
    const [innerKind, innerElement] = inner
    if (innerKind === 'object' || innerKind === 'tuple') return false
    if (Array.isArray(innerElement)) return false
    return innerElement !== 'dynamic'
  }
  return inner !== 'dynamic'
}

function diffBlock(change: ValueChange, block: BlockSchema, legacy: boolean): ValueDiff {
  const special = sensitiveOrUnknown(change, inner => diffBlock(inner, block, legacy))
  if (special !== undefined) return special
  const keepsLegacy = legacy && isLegacy(block)

  let action = iterationAction(isRecord(change.before), isRecord(change.after))
  const attributes: [string, ValueDiff][] = []
  const writeOnly: [string, SchemaAttribute][] = []
  for (const [name, attribute] of sortedEntries(block.attributes)) {
    if (attribute.write_only) {
      writeOnly.push([name, attribute])
      continue
    }
    const child = childChange(change, name)
    const diff = diffAttribute(child, attribute, keepsLegacy)
    // Null before and after: not shown, nor counted as unchanged.
    if (diff.action === 'no-op' && child.before === null && child.after === null) continue
    attributes.push([name, diff])
    action = combineActions(action, diff.action)
  }

  const blocks: BlockGroup[] = []
  for (const [name, type] of sortedEntries(block.block_types)) {
    const child = childChange(change, name)
    const { group, action: groupAction } = diffBlockGroup(name, child, type, keepsLegacy)
    if (groupAction === 'no-op' && child.before === null && child.after === null && !group.unknown)
      continue
    blocks.push(group)
    action = combineActions(action, groupAction)
  }

  // Write-only values are never in the plan: they follow their block, except for an update.
  for (const [name, attribute] of writeOnly) {
    const sensitive = attribute.sensitive === true
    const ownAction = action === 'update' ? 'no-op' : action
    const child = childChange(change, name)
    attributes.push([
      name,
      { kind: 'write-only', action: ownAction, replace: forcesReplacement(child), sensitive }
    ])
  }
  if (writeOnly.length > 0) attributes.sort(([a], [b]) => compare(a, b))
  return { kind: 'block', action, replace: forcesReplacement(change), attributes, blocks }
}

function diffBlockGroup(
  name: string,
  change: ValueChange,
  type: BlockType,
  legacy: boolean
): { group: BlockGroup; action: DiffAction } {
  const group: BlockGroup = {
    name,
    entries: [],
    replace: forcesReplacement(change),
    // A single block unknown until apply is itself the one entry that says so.
    unknown: change.unknown === true && !isSingle(type)
  }
  const diffOne = (value: ValueChange): ValueDiff => diffBlock(value, type.block, legacy)
  let action: DiffAction
  switch (type.nesting_mode) {
    case 'single':
    case 'group': {
      const diff = diffOne(change)
      group.entries.push({ diff })
      action = diff.action
      break
    }
    case 'map': {
      const map = diffMapEntries(change, false, diffOne)
      group.entries = map.entries.map(([key, diff]) => ({ key, diff }))
      action = map.action
      break
    }
    default: {
      const pairs =
        type.nesting_mode === 'set' ? setPairs(change) : indexPairs(change.before, change.after)
      const list = diffElements(change, pairs, diffOne)
      group.entries = list.elements.map(diff => ({ diff }))
      action = list.action
    }
  }
  return { group, action }
}

function isSingle(type: BlockType): boolean {
  return type.nesting_mode === 'single' || type.nesting_mode === 'group'
}

function diffAttribute(
  change: ValueChange,
  attribute: SchemaAttribute,
  legacy: boolean
): ValueDiff {
  const marked =
    attribute.sensitive === true
      ? { ...change, beforeSensitive: true, afterSensitive: true }
      : change
  if (attribute.nested_type !== undefined) return diffNested(marked, attribute.nested_type, legacy)
  return diffTyped(marked, attribute.type ?? 'dynamic', legacy)
}

function diffNested(change: ValueChange, nested: NestedAttributes, legacy: boolean): ValueDiff {
  const special = sensitiveOrUnknown(change, inner => diffNested(inner, nested, legacy))
  if (special !== undefined) return special
  const replace = forcesReplacement(change)
  const object: NestedAttributes = { attributes: nested.attributes, nesting_mode: 'single' }
  const diffObject = (value: ValueChange): ValueDiff => diffNested(value, object, legacy)
  switch (nested.nesting_mode) {
    case 'single':
    case 'group':
      return diffObjectAttributes(change, sortedEntries(nested.attributes), true, child =>
        diffAttribute(child.change, child.attribute, legacy)
      )
    // Nested maps and sets say `# forces replacement` on each element, not on themselves.
    case 'map': {
      const { entries, action } = diffMapEntries(change, false, diffObject)
      return {
        kind: 'map',
        action,
        replace: false,
        entries: entries.map(([key, entry]) => [key, replacing(entry, replace)]),
        alignKeys: false,
        entriesShowNull: false
      }
    }
    case 'set': {
      const { elements, action } = diffElements(change, setPairs(change), diffObject)
      const replaced = elements.map(element => replacing(element, replace))
      return { kind: 'list', action, replace: false, elements: replaced, context: false }
    }
    case 'list': {
      const pairs = indexPairs(change.before, change.after)
      const { elements, action } = diffElements(change, pairs, diffObject)
      return { kind: 'list', action, replace, elements, context: false }
    }
  }
}

function replacing(diff: ValueDiff, replace: boolean): ValueDiff {
  return replace && !diff.replace ? { ...diff, replace } : diff
}

function diffTyped(change: ValueChange, type: JsonValue, legacy: boolean): ValueDiff {
  const value = legacy ? blankAsNull(change) : change
  const special = sensitiveOrUnknown(value, inner => diffTyped(inner, type, legacy))
  if (special !== undefined) return special
  const replace = forcesReplacement(value)

  if (type === 'string' || type === 'number' || type === 'bool') {
    const { before, after } = value
    return { kind: 'primitive', action: primitiveAction(value), replace, before, after }
  }
  if (!Array.isArray(type)) return diffJsonValue(value)
  const [kind, inner] = type
  const diffElement = (element: ValueChange): ValueDiff => diffTyped(element, inner ?? null, legacy)
  switch (kind) {
    case 'object': {
      const attributeTypes = isRecord(inner ?? null) ? (inner as Record<string, JsonValue>) : {}
      return diffObjectAttributes(value, sortedEntries(attributeTypes), false, child =>
        diffTyped(child.change, child.attribute, legacy)
      )
    }
    case 'map': {
      const { entries, action } = diffMapEntries(value, true, diffElement)
      const entriesShowNull = action !== 'delete'
      return { kind: 'map', action, replace, entries, alignKeys: true, entriesShowNull }
    }
    case 'list': {
      const isObjectType = Array.isArray(inner) && inner[0] === 'object'
      const pairs = alignSequences(
        arrayOf(value.before).map(serialize),
        arrayOf(value.after).map(serialize),
        () => isObjectType
      )
      const { elements, action } = diffElements(value, pairs, diffElement)
      return { kind: 'list', action, replace, elements, context: true }
    }
    case 'set': {
      const { elements, action } = diffElements(value, setPairs(value), diffElement)
      return { kind: 'list', action, replace, elements, context: false }
    }
    case 'tuple': {
      const types = Array.isArray(inner) ? inner : []
      const { elements, action } = diffElements(
        value,
        indexPairs(value.before, value.after),
        (element, index) => diffTyped(element, types[index] ?? null, legacy)
      )
      return { kind: 'list', action, replace, elements, context: true }
    }
    default:
      return diffJsonValue(value)
  }
}

/** Objects and nested objects: one entry per attribute of the type, none for a null-to-null one. */
function diffObjectAttributes<T>(
  change: ValueChange,
  attributes: [string, T][],
  attributesShowNull: boolean,
  diffChild: (child: { change: ValueChange; attribute: T }) => ValueDiff
): ValueDiff {
  let action = iterationAction(isRecord(change.before), isRecord(change.after))
  const diffs: [string, ValueDiff][] = []
  for (const [name, attribute] of attributes) {
    const child = childChange(change, name)
    const diff = diffChild({ change: child, attribute })
    if (diff.action === 'no-op' && child.before === null && child.after === null) continue
    diffs.push([name, diff])
    action = combineActions(action, diff.action)
  }
  return {
    kind: 'object',
    action,
    replace: forcesReplacement(change),
    attributes: diffs,
    attributesShowNull
  }
}

/** A map's entries by sorted key; `withUnknownKeys` also takes keys only the unknown mirror names. */
function diffMapEntries(
  change: ValueChange,
  withUnknownKeys: boolean,
  diffEntry: (entry: ValueChange) => ValueDiff
): { entries: [string, ValueDiff][]; action: DiffAction } {
  const before = isRecord(change.before) ? change.before : undefined
  const after = isRecord(change.after) ? change.after : undefined
  const unknown = withUnknownKeys && isRecord(change.unknown) ? change.unknown : undefined
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  for (const key of Object.keys(unknown ?? {})) keys.add(key)
  let action = iterationAction(before !== undefined, after !== undefined)
  const entries: [string, ValueDiff][] = [...keys].sort(compare).map(key => {
    const diff = diffEntry({
      ...childChange(change, key),
      beforeExplicit: before !== undefined && Object.hasOwn(before, key),
      afterExplicit: after !== undefined && Object.hasOwn(after, key)
    })
    action = combineActions(action, diff.action)
    return [key, diff]
  })
  return { entries, action }
}

/** The change of an object's attribute; Terraform treats object attributes as implicit. */
function childChange(change: ValueChange, key: string): ValueChange {
  const before = isRecord(change.before) ? change.before : undefined
  const after = isRecord(change.after) ? change.after : undefined
  const unknown = isRecord(change.unknown) ? change.unknown : undefined
  return {
    before: member(before, key),
    after: member(after, key),
    beforeExplicit: false,
    afterExplicit: false,
    unknown: member(unknown, key),
    beforeSensitive: sensitiveChild(change.beforeSensitive, key),
    afterSensitive: sensitiveChild(change.afterSensitive, key),
    replacePaths: childPaths(change.replacePaths, key)
  }
}

/** Lists of blocks and nested objects pair elements by index. */
function indexPairs(before: JsonValue, after: JsonValue): [number, number][] {
  const length = Math.max(arrayOf(before).length, arrayOf(after).length)
  return Array.from({ length }, (_, i) => [i, i])
}

/**
 * Sets pair each element before with an equal one after (same sensitivity, known); the rest are
 * deleted, then the new ones created.
 */
function setPairs(change: ValueChange): [number, number][] {
  const before = arrayOf(change.before)
  const after = arrayOf(change.after)
  const sensitivity = (mirror: JsonValue, index: number, value: JsonValue): boolean =>
    marksWhole(sensitiveChild(mirror, index), value)
  const matched = new Set<number>()
  const pairs: [number, number][] = before.map((value, b) => {
    const a = after.findIndex(
      (candidate, i) =>
        !matched.has(i) &&
        jsonEqual(value, candidate) &&
        sensitivity(change.beforeSensitive, b, value) ===
          sensitivity(change.afterSensitive, i, after[i]) &&
        element(change.unknown, i) !== true
    )
    if (a >= 0) matched.add(a)
    return [b, a]
  })
  after.forEach((_, a) => {
    if (!matched.has(a)) pairs.push([-1, a])
  })
  return pairs
}

function blankAsNull(change: ValueChange): ValueChange {
  if (change.before !== '' && change.after !== '') return change
  return {
    ...change,
    before: change.before === '' ? null : change.before,
    after: change.after === '' ? null : change.after
  }
}

function arrayOf(value: JsonValue): JsonValue[] {
  return Array.isArray(value) ? value : []
}

function sortedEntries<T>(record: Record<string, T> | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => compare(a, b))
}

/** Go's sort.Strings: by code unit, not by locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
