import { describe, expect, it } from '@jest/globals'
import { comparePlans, isSamePlan } from '../../src/plan/compare.js'
import { buildPlanModel } from '../../src/plan/model.js'
import type { PlanModel } from '../../src/plan/model.js'
import type { JsonChange, JsonPlan, JsonResourceChange, JsonValue } from '../../src/plan/types.js'
import { plan, resourceChange } from '../fixtures/plans/builders.js'

const model = (changes: JsonResourceChange[], extra: Partial<JsonPlan> = {}): PlanModel =>
  buildPlanModel(plan(changes, extra), 'json')

const update = (
  address: string,
  before: JsonValue,
  after: JsonValue,
  extra: Partial<JsonChange> = {}
): JsonResourceChange =>
  resourceChange(address, ['update'], { change: { before, after, ...extra } })

describe('comparePlans', () => {
  it('finds nothing between a plan and itself', () => {
    const changes = [
      resourceChange('aws_instance.a', ['create'], { change: { after: { ami: 'x' } } }),
      update('module.m.aws_s3_bucket.b', { acl: 'private' }, { acl: 'public' })
    ]
    expect(isSamePlan(comparePlans(model(changes), model(changes)))).toBe(true)
  })

  it('lists resources new in the plan and no longer in it, with their actions', () => {
    const previous = model([
      resourceChange('aws_instance.kept', ['create']),
      resourceChange('aws_instance.gone', ['delete'])
    ])
    const current = model([
      resourceChange('aws_instance.kept', ['create']),
      resourceChange('aws_instance.new', ['delete', 'create'])
    ])

    const comparison = comparePlans(previous, current)

    expect(comparison.added).toEqual([{ address: 'aws_instance.new', action: 'replace' }])
    expect(comparison.removed).toEqual([{ address: 'aws_instance.gone', action: 'delete' }])
    expect(comparison.replanned).toEqual([])
    expect(isSamePlan(comparison)).toBe(false)
  })

  it('names the attributes whose planned change differs, and a changed action', () => {
    const previous = model([
      update('aws_instance.a', { ami: 'a1', size: 's' }, { ami: 'a2', size: 's' }),
      resourceChange('aws_instance.b', ['update'], { change: { before: {}, after: {} } })
    ])
    const current = model([
      update('aws_instance.a', { ami: 'a1', size: 's' }, { ami: 'a3', size: 's' }),
      resourceChange('aws_instance.b', ['delete', 'create'], { change: { before: {}, after: {} } })
    ])

    expect(comparePlans(previous, current).replanned).toEqual([
      {
        address: 'aws_instance.a',
        previousAction: 'update',
        action: 'update',
        attributes: ['ami']
      },
      { address: 'aws_instance.b', previousAction: 'update', action: 'replace', attributes: [] }
    ])
  })

  it('sees an attribute that becomes known after apply', () => {
    const previous = model([update('aws_instance.a', { ip: '1' }, { ip: '2' })])
    const current = model([
      update('aws_instance.a', { ip: '1' }, {}, { after_unknown: { ip: true } })
    ])
    expect(comparePlans(previous, current).replanned[0].attributes).toEqual(['ip'])
  })

  it('compares sensitive values by their marks only, so a redacted plan matches a full one', () => {
    const full = model([
      update(
        'aws_db.a',
        { password: 'old' },
        { password: 'new' },
        {
          before_sensitive: { password: true },
          after_sensitive: { password: true }
        }
      )
    ])
    const redacted = model([
      update(
        'aws_db.a',
        {},
        {},
        {
          before_sensitive: { password: true },
          after_sensitive: { password: true }
        }
      )
    ])
    expect(isSamePlan(comparePlans(full, redacted))).toBe(true)
  })

  it('treats an empty mirror like an absent one', () => {
    const previous = model([update('aws_instance.a', { n: 1 }, { n: 2 }, { after_unknown: {} })])
    const current = model([
      update('aws_instance.a', { n: 1 }, { n: 2 }, { after_unknown: { n: false } })
    ])
    expect(isSamePlan(comparePlans(previous, current))).toBe(true)
  })

  it('compares outputs by name', () => {
    const outputs = (after: string): Partial<JsonPlan> => ({
      output_changes: { url: { actions: ['update'], before: 'a', after } }
    })
    const comparison = comparePlans(model([], outputs('b')), model([], outputs('c')))
    expect(comparison.replanned).toEqual([
      { address: 'output.url', previousAction: 'update', action: 'update', attributes: [] }
    ])
  })
})
