import { describe, expect, it } from '@jest/globals'
import { parseJsonPlan } from '../../src/plan/parse.js'
import { holdsProviderSchemas, usedProviderSchemasInTail } from '../../src/plan/schema-tail.js'

const NULL = 'registry.terraform.io/hashicorp/null'
const RANDOM = 'registry.terraform.io/hashicorp/random'
const block = (attribute: string) => ({
  block: { attributes: { [attribute]: { type: 'string' } } }
})
const SCHEMAS = {
  [NULL]: {
    provider: { version: 0, block: {} },
    resource_schemas: { null_resource: block('id'), null_unused: block('x') },
    data_source_schemas: { null_data_source: block('outputs') }
  },
  [RANDOM]: { resource_schemas: { random_pet: block('id') }, data_source_schemas: {} }
}
const change = (value: unknown, type = 'null_resource', mode = 'managed') => ({
  address: `${type}.a`,
  mode,
  type,
  name: 'a',
  provider_name: type.startsWith('random') ? RANDOM : NULL,
  change: { actions: ['create'], before: null, after: value }
})
const USES = [change({}), change({}, 'null_data_source', 'data')]
const USED = {
  [NULL]: {
    resource_schemas: { null_resource: block('id') },
    data_source_schemas: { null_data_source: block('outputs') }
  }
}

/** A redacted plan as HCP Terraform writes it: the schemas second to last. */
const redacted = (changes: unknown[], schemas: unknown = SCHEMAS): string =>
  JSON.stringify({
    plan_format_version: '1.2',
    resource_changes: changes,
    provider_schemas: schemas,
    provider_format_version: '1.0'
  })
const tailOf = (text: string, bytes: number): Buffer => {
  const whole = Buffer.from(text)
  return whole.subarray(Math.max(0, whole.length - bytes))
}
const read = (text: string | Buffer, uses: object[] = USES): unknown =>
  usedProviderSchemasInTail(Buffer.from(text), uses)
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

describe('usedProviderSchemasInTail', () => {
  it('keeps only the types the resources use, as a whole parse has them', () => {
    const text = redacted([change({ id: 'x' })])
    expect(plain(read(text))).toEqual(USED)
    const whole = parseJsonPlan(text).provider_schemas as typeof SCHEMAS
    expect(plain(read(text))).toEqual({
      [NULL]: {
        resource_schemas: { null_resource: whole[NULL].resource_schemas.null_resource },
        data_source_schemas: { null_data_source: whole[NULL].data_source_schemas.null_data_source }
      }
    })
    expect(plain(read(text, []))).toEqual({})
  })

  it('reads them from a tail cut anywhere before the key, even inside a character', () => {
    const text = redacted([change({ name: '日本'.repeat(200) })])
    const bytes = Buffer.from(text)
    const fromKey = bytes.length - bytes.lastIndexOf('"provider_schemas"')
    for (const extra of [1, 2, 50, 700]) {
      expect(holdsProviderSchemas(tailOf(text, fromKey + extra))).toBe(true)
      expect(plain(read(tailOf(text, fromKey + extra)))).toEqual(USED)
    }
    // Without the byte before it, the key cannot be told from the inside of a string.
    expect(holdsProviderSchemas(tailOf(text, fromKey))).toBe(false)
    expect(read(tailOf(text, fromKey))).toBeUndefined()
    expect(read(tailOf(text, fromKey - 1))).toBeUndefined()
  })

  it('reads them when they are the last member, or followed by other scalars, spaced out', () => {
    const last = JSON.stringify({ plan_format_version: '1.2', provider_schemas: SCHEMAS })
    expect(plain(read(last))).toEqual(USED)
    const spaced = JSON.stringify(JSON.parse(redacted([])), null, 2).replace(
      /}$/,
      ' , "errored" : false,\n"n": -1.5e3 }\n'
    )
    expect(plain(read(spaced))).toEqual(USED)
  })

  it('reads keys and strings with escapes, and skips values of every kind', () => {
    const schemas = {
      [NULL]: {
        resource_schemas: {
          'null_"quoted"\\': block('a"b'),
          skipped: [1, -2.5e3, true, null, 'x\\"}]', { '{': ['['] }]
        },
        other_key: 12
      }
    }
    const uses = [change({}, 'null_"quoted"\\')]
    expect(plain(read(redacted([], schemas), uses))).toEqual({
      [NULL]: { resource_schemas: { 'null_"quoted"\\': block('a"b') } }
    })
  })

  it('does not take a nested key of that name, nor one inside a string, for the schemas', () => {
    const fake = { provider_schemas: { [NULL]: { resource_schemas: { null_resource: 1 } } } }
    const nested = JSON.stringify({ plan_format_version: '1.2', resource_changes: [change(fake)] })
    expect(read(nested)).toBeUndefined()
    const inString = JSON.stringify({
      plan_format_version: '1.2',
      resource_changes: [change({ text: JSON.stringify(fake) })]
    })
    expect(holdsProviderSchemas(Buffer.from(inString))).toBe(false)
    expect(read(inString)).toBeUndefined()
    // Behind the real key, a nested one is passed over, and one inside the schemas is theirs.
    expect(plain(read(redacted([change(fake)])))).toEqual(USED)
    const inside = { [NULL]: { resource_schemas: { null_resource: fake } } }
    expect(plain(read(redacted([], inside)))).toEqual({
      [NULL]: { resource_schemas: { null_resource: fake } }
    })
  })

  it('has none for a plan without schemas, with schemas that are not an object, or cut short', () => {
    expect(read('{"plan_format_version":"1.2"}')).toBeUndefined()
    expect(read(redacted([], [1]))).toBeUndefined()
    expect(read(redacted([]).slice(0, -1))).toBeUndefined()
    expect(read(redacted([]).replace('"id"', '"id" x'))).toBeUndefined()
  })

  it('gives a provider or type named __proto__ no prototype', () => {
    const schemas = { ['__proto__']: { resource_schemas: { ['__proto__']: block('id') } } }
    const text = redacted([]).replace(JSON.stringify(SCHEMAS), JSON.stringify(schemas))
    const used = read(text, [{ provider_name: '__proto__', type: '__proto__' }]) as object
    expect(Object.getPrototypeOf(used)).toBeNull()
    expect(Object.hasOwn(used, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).resource_schemas).toBeUndefined()
  })
})
