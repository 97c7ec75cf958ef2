// Provider schemas as HCP Terraform serves them in the redacted JSON plan (`provider_schemas`, the
// format of `terraform providers schema -json`): what tells a block from a list attribute, a map
// (quoted keys) from an object, and which attributes are sensitive. Only the parts the renderer
// reads are typed; a schema of an unexpected shape is ignored, never trusted half-way.
import type { JsonValue } from './json-value.js'
import { isRecord } from '../util/is-record.js'

export type NestingMode = 'single' | 'group' | 'list' | 'set' | 'map'

export interface SchemaAttribute {
  /** A cty type in JSON: "string", ["list","string"], ["object",{...}], "dynamic"... */
  type?: JsonValue
  nested_type?: NestedAttributes
  sensitive?: boolean
  write_only?: boolean
}

export interface NestedAttributes {
  attributes: Record<string, SchemaAttribute>
  nesting_mode: NestingMode
}

export interface BlockType {
  nesting_mode: NestingMode
  block: BlockSchema
}

export interface BlockSchema {
  attributes?: Record<string, SchemaAttribute>
  block_types?: Record<string, BlockType>
}

interface ProviderSchema {
  resource_schemas?: Record<string, { block?: BlockSchema }>
  data_source_schemas?: Record<string, { block?: BlockSchema }>
}

/** `provider_schemas`: provider source address → its schemas. */
export type ProviderSchemas = Record<string, JsonValue>

/** What names a resource's schema: its provider, mode and type, as a plan's resource gives them. */
export interface SchemaUse {
  provider_name?: string
  mode?: string
  type?: string
}

/** The schema of one resource or data source type, when the plan carries it. */
export function resourceSchema(
  schemas: ProviderSchemas | undefined,
  providerName: string | undefined,
  mode: 'managed' | 'data',
  type: string
): BlockSchema | undefined {
  // The plan's provider_name and type are not checked by the reader: anything but a string (a
  // nested array, say) would be turned into a property key, and deep nesting overflows the stack.
  if (schemas === undefined || typeof providerName !== 'string' || typeof type !== 'string') {
    return undefined
  }
  const provider = Object.hasOwn(schemas, providerName) ? schemas[providerName] : undefined
  if (!isRecord(provider)) return undefined
  const byType = (provider as ProviderSchema)[
    mode === 'data' ? 'data_source_schemas' : 'resource_schemas'
  ]
  if (!isRecord(byType) || !Object.hasOwn(byType, type)) return undefined
  const block = byType[type]?.block
  return isCheckedBlock(block) ? block : undefined
}

/** Thousands of resources share a few schemas: each is checked once. */
const checked = new WeakMap<object, boolean>()

function isCheckedBlock(value: unknown): value is BlockSchema {
  if (!isRecord(value)) return false
  let valid = checked.get(value)
  if (valid === undefined) {
    valid = isBlock(value)
    checked.set(value, valid)
  }
  return valid
}

const NESTING_MODES: ReadonlySet<unknown> = new Set(['single', 'group', 'list', 'set', 'map'])

/** Checks the whole block once, so the differ can rely on every shape it reads. */
function isBlock(value: unknown, depth = 0): value is BlockSchema {
  if (!isRecord(value) || depth > MAX_SCHEMA_DEPTH) return false
  const { attributes, block_types: blockTypes } = value
  if (attributes !== undefined && !isAttributes(attributes, depth)) return false
  if (blockTypes === undefined) return true
  return (
    isRecord(blockTypes) &&
    Object.values(blockTypes).every(
      type =>
        isRecord(type) && NESTING_MODES.has(type.nesting_mode) && isBlock(type.block, depth + 1)
    )
  )
}

function isAttributes(value: unknown, depth: number): boolean {
  return (
    isRecord(value) &&
    Object.values(value).every(attribute => {
      if (!isRecord(attribute)) return false
      const nested = attribute.nested_type
      if (nested === undefined) return attribute.type !== undefined
      return (
        isRecord(nested) &&
        NESTING_MODES.has(nested.nesting_mode) &&
        depth < MAX_SCHEMA_DEPTH &&
        isAttributes(nested.attributes, depth + 1)
      )
    })
  )
}

/** Real schemas nest a few levels; a deeper one is not a schema this renderer should walk. */
const MAX_SCHEMA_DEPTH = 64
