import { describe, expect, it } from '@jest/globals'
import { hideAttributes } from '../../src/plan/hide-attributes.js'
import { buildPlanModel } from '../../src/plan/model.js'
import type { JsonChange } from '../../src/plan/types.js'
import { renderResourceDiff } from '../../src/render/diff.js'
import { plan, resourceChange } from '../fixtures/plans/builders.js'

const bucket = (change: Partial<JsonChange>, actions: JsonChange['actions'] = ['update']) =>
  buildPlanModel(plan([resourceChange('aws_s3_bucket.logs', actions, { change })]), 'json')

const TAGGED = bucket({
  before: {
    acl: 'private',
    tags_all: { a: '1' },
    versioning: [{ enabled: true, last_modified: 't1' }],
    meta: { last_modified: 't1', owner: 'x' }
  },
  after: {
    acl: 'public-read',
    tags_all: { a: '2' },
    versioning: [{ enabled: true, last_modified: 't2' }],
    meta: { last_modified: 't2', owner: 'x' }
  }
})

describe('hideAttributes', () => {
  it('leaves a named attribute out at any depth and counts its changes', () => {
    const [resource] = hideAttributes(TAGGED, ['tags_all', 'last_modified']).resources
    expect(resource.hiddenAttributeChanges).toBe(3)
    const diff = renderResourceDiff(resource)
    expect(diff).toContain('acl')
    expect(diff).not.toMatch(/tags_all|last_modified/)
  })

  it('matches a dotted path from the top, * for any one name, list positions skipped', () => {
    const [resource] = hideAttributes(TAGGED, ['*.last_modified']).resources
    expect(resource.hiddenAttributeChanges).toBe(2)
    expect(resource.change.after).toMatchObject({
      versioning: [{ enabled: true }],
      meta: { owner: 'x' },
      tags_all: { a: '2' }
    })
    expect(JSON.stringify(resource.change.after)).not.toContain('last_modified')
    expect(hideAttributes(TAGGED, ['meta.owner']).resources[0].hiddenAttributeChanges).toBe(0)
  })

  it('never changes actions or counts, even when every changed attribute is hidden', () => {
    const hidden = hideAttributes(TAGGED, ['acl', 'tags_all', 'last_modified'])
    expect(hidden.counts).toEqual(TAGGED.counts)
    expect(hidden.summaryLine).toBe(TAGGED.summaryLine)
    expect(hidden.resources.map(r => r.action)).toEqual(['update'])
    expect(hidden.resources[0].hiddenAttributeChanges).toBe(4)
  })

  it('counts an attribute that becomes known after apply as a change', () => {
    const model = bucket({
      before: { etag: 'x' },
      after: {},
      after_unknown: { etag: true }
    })
    const [resource] = hideAttributes(model, ['etag']).resources
    expect(resource.hiddenAttributeChanges).toBe(1)
    expect(resource.change.after_unknown).toEqual({})
  })

  it('returns the very model when nothing is to be hidden', () => {
    expect(hideAttributes(TAGGED, [])).toBe(TAGGED)
    expect(hideAttributes(TAGGED, ['nothing_like_it']).resources[0]).toBe(TAGGED.resources[0])
  })
})
