// The bench's provider schemas must be as big as the AWS provider's and must fit the values of the
// types its plans use: a type whose values a schema does not fit is diffed without it.
import { describe, expect, it } from '@jest/globals'
import { usedTypeSamples } from '../../scripts/bench/plan-generator.mjs'
import { syntheticProviderSchemas } from '../../scripts/bench/provider-schemas.mjs'
import type { JsonValue } from '../../src/plan/json-value.js'
import { resourceSchema } from '../../src/plan/schema.js'
import { diffBlockValue } from '../../src/render/schema-diff.js'

describe('syntheticProviderSchemas', () => {
  const schemas = syntheticProviderSchemas()

  it('is about the size of the AWS provider schema', () => {
    const megabytes = Buffer.byteLength(JSON.stringify(schemas)) / 1_000_000
    expect(megabytes).toBeGreaterThan(9)
    expect(megabytes).toBeLessThan(14)
  })

  it.each(usedTypeSamples().map(sample => [sample.type, sample] as const))(
    'types %s so that its values are diffed with the schema',
    (_type, sample) => {
      const block = resourceSchema(schemas, sample.provider, sample.mode, sample.type)
      expect(block).toBeDefined()
      const change = {
        before: null,
        after: sample.values as JsonValue,
        beforeExplicit: false,
        afterExplicit: false,
        unknown: false,
        beforeSensitive: false,
        afterSensitive: false,
        replacePaths: []
      }
      expect(diffBlockValue(change, block!)).toBeDefined()
    }
  )
})
