import { describe, expect, it } from '@jest/globals'
import type { JsonApiDocument, JsonApiResource } from '../../src/tfc/api-types.js'
import {
  asCount,
  asString,
  findIncluded,
  listedResources,
  nextPage,
  primaryResource,
  relatedId,
  relatedIds,
  stringAttribute
} from '../../src/tfc/jsonapi.js'

const run: JsonApiResource = {
  id: 'run-1',
  type: 'runs',
  attributes: { status: 'planned', message: '' },
  relationships: {
    plan: { data: { id: 'plan-1', type: 'plans' } },
    'policy-checks': {
      data: [
        { id: 'polchk-1', type: 'policy-checks' },
        { id: 'polchk-2', type: 'policy-checks' }
      ]
    },
    'cost-estimate': { data: null }
  }
}

describe('primaryResource', () => {
  it('returns the single resource in data', () => {
    expect(primaryResource({ data: run }, 'GET /runs/run-1')).toBe(run)
  })

  it('names the request when data holds no single resource', () => {
    for (const document of [undefined, { data: [run] }, { data: null }] as JsonApiDocument[]) {
      expect(() => primaryResource(document, 'GET /runs/run-1')).toThrow(
        `GET /runs/run-1: HCP Terraform's answer has no resource in "data".`
      )
    }
  })
})

describe('findIncluded', () => {
  const plan: JsonApiResource = { id: 'plan-1', type: 'plans', attributes: { status: 'finished' } }
  const document: JsonApiDocument = {
    data: run,
    included: [{ id: 'ws-1', type: 'workspaces' }, plan]
  }

  it('finds an included resource by type and id', () => {
    expect(findIncluded(document, 'plans', 'plan-1')).toBe(plan)
    expect(findIncluded(document, 'workspaces', 'plan-1')).toBeUndefined()
  })

  it('ignores an included resource without attributes, and a document without included', () => {
    expect(findIncluded(document, 'workspaces', 'ws-1')).toBeUndefined()
    expect(findIncluded({ data: run }, 'plans', 'plan-1')).toBeUndefined()
    expect(findIncluded(undefined, 'plans', 'plan-1')).toBeUndefined()
  })
})

describe('relationships', () => {
  it('reads a to-one relationship, and nothing from a to-many, empty or missing one', () => {
    expect(relatedId(run, 'plan')).toBe('plan-1')
    expect(relatedId(run, 'policy-checks')).toBeUndefined()
    expect(relatedId(run, 'cost-estimate')).toBeUndefined()
    expect(relatedId(run, 'workspace')).toBeUndefined()
  })

  it('reads a to-many relationship, and nothing from a to-one, empty or missing one', () => {
    expect(relatedIds(run, 'policy-checks')).toEqual(['polchk-1', 'polchk-2'])
    expect(relatedIds(run, 'plan')).toEqual([])
    expect(relatedIds(run, 'cost-estimate')).toEqual([])
    expect(relatedIds(run, 'workspace')).toEqual([])
  })
})

describe('attributes', () => {
  it('reads non-empty string attributes only', () => {
    expect(stringAttribute(run, 'status')).toBe('planned')
    expect(stringAttribute(run, 'message')).toBeUndefined()
    expect(stringAttribute(run, 'missing')).toBeUndefined()
    expect(stringAttribute({ id: 'x', type: 'runs' }, 'status')).toBeUndefined()
    expect(asString(3)).toBeUndefined()
  })

  it('reads finite numbers as counts', () => {
    expect(asCount(0)).toBe(0)
    expect(asCount(12)).toBe(12)
    for (const value of [null, undefined, '3', Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(asCount(value)).toBeUndefined()
    }
  })
})

describe('lists', () => {
  it('gives the resources of a list, and none of a single resource or no answer', () => {
    expect(listedResources({ data: [run] })).toEqual([run])
    expect(listedResources({ data: run })).toEqual([])
    expect(listedResources(undefined)).toEqual([])
  })

  it('reads the next page from the pagination meta', () => {
    const page = (next: number | null): JsonApiDocument => ({
      data: [],
      meta: { pagination: { 'current-page': 1, 'next-page': next } }
    })
    expect(nextPage(page(2))).toBe(2)
    expect(nextPage(page(null))).toBeNull()
    expect(nextPage({ data: [] })).toBeUndefined()
  })
})
