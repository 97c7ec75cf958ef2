import { describe, expect, it } from '@jest/globals'
import { evaluateGates } from '../../src/gates/evaluate.js'
import { matchesAddressPattern } from '../../src/gates/plan.js'
import { buildPlanModel, modelFromApiCounts } from '../../src/plan/model.js'
import type { PlanModel } from '../../src/plan/model.js'
import type { JsonPlan, JsonResourceChange } from '../../src/plan/types.js'
import type { FailCondition, GateTrip } from '../../src/result.js'
import { plan, resourceChange } from '../fixtures/plans/builders.js'

const ALL: FailCondition[] = ['errored', 'changes', 'destroy', 'replace', 'drift']

function model(changes: JsonResourceChange[], extra: Partial<JsonPlan> = {}): PlanModel {
  return buildPlanModel(plan(changes, extra), 'json')
}

/** The conditions that trip, each with its addresses. */
function tripped(
  planModel: PlanModel,
  failOn: FailCondition[] = ALL,
  protect: string[] = [],
  status = 'finished'
): Record<string, string[]> {
  const trips = evaluateGates(planModel, status, failOn, protect)
  return Object.fromEntries(trips.map(trip => [trip.condition, trip.addresses]))
}

function trip(planModel: PlanModel, condition: FailCondition, protect: string[] = []): GateTrip {
  const found = evaluateGates(planModel, 'finished', [condition], protect).find(
    t => t.condition === (protect.length > 0 ? 'protect' : condition)
  )
  if (!found) throw new Error(`${condition} did not trip`)
  return found
}

describe('matchesAddressPattern', () => {
  it.each([
    ['aws_db_instance.*', 'aws_db_instance.main', true],
    ['aws_db_instance.*', 'aws_db_instance.main[0]', true],
    ['aws_db_instance.*', 'module.a.aws_db_instance.main', false],
    ['module.prod.*', 'module.prod.aws_s3_bucket.x["a.b"]', true],
    ['module.prod.*', 'module.production.aws_s3_bucket.x', false],
    ['module.prod.*', 'module.prod', false],
    ['aws_s3_bucket.logs["*"]', 'aws_s3_bucket.logs["eu-west-1"]', true],
    ['aws_s3_bucket.logs["*"]', 'aws_s3_bucket.logs[0]', false],
    ['aws_s3_bucket.logs["*"]', 'aws_s3_bucket.logs', false],
    ['*.db', 'aws_instance.db', true],
    ['*.db', 'module.x["k"].aws_instance.db', true],
    ['*.db', 'aws_instance.db[0]', false],
    ['*.db', '.db', true],
    ['*', 'anything.at["all"]', true],
    ['*', '', true],
    ['', '', true],
    ['', 'a.b', false],
    ['module.*.aws_iam_role.*', 'module.a.module.b.aws_iam_role.admin', true],
    ['module.*.aws_iam_role.*', 'module.a.aws_iam_policy.admin', false],
    ['a*b*a', 'aba', true],
    ['a*b*a', 'ab', false],
    ['ab*ba', 'aba', false],
    ['**', 'x', true],
    ['aws_instance.web', 'aws_instance.web', true],
    ['aws_instance.web', 'aws_instance.web[0]', false],
    ['aws_instance.web', 'aws_instance.we', false]
  ])('%s matches %s: %s', (pattern, address, expected) => {
    expect(matchesAddressPattern(pattern, address)).toBe(expected)
  })

  it.each([
    ['aws_s3_bucket.logs[".*"]', 'aws_s3_bucket.logs["x"]', false],
    ['aws_s3_bucket.logs[".*"]', 'aws_s3_bucket.logs[".x"]', true],
    ['aws_instance.w.b', 'aws_instance.web', false],
    ['(a+)+$', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['(a+)+$', '(a+)+$', true],
    ['a[0-9]', 'a5', false],
    ['a[0-9]', 'a[0-9]', true],
    ['x?', 'x', false],
    ['^x|y\\', '^x|y\\', true],
    ['${x}', '${x}', true]
  ])('treats %s literally apart from *: %s → %s', (pattern, address, expected) => {
    expect(matchesAddressPattern(pattern, address)).toBe(expected)
  })

  it('stays fast on hostile patterns and long addresses', () => {
    const address = 'a'.repeat(200_000)
    const started = performance.now()
    expect(matchesAddressPattern(`${'*a'.repeat(500)}*b`, address)).toBe(false)
    expect(matchesAddressPattern(`${'a*'.repeat(500)}b`, address)).toBe(false)
    expect(matchesAddressPattern(`*${'a'.repeat(1000)}b*c*`, `${address}c`)).toBe(false)
    expect(matchesAddressPattern(`${'*a'.repeat(500)}*`, address)).toBe(true)
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

describe('evaluateGates', () => {
  it('trips errored on a failed plan status or a plan that says it errored', () => {
    for (const [status, message] of [
      ['errored', 'The plan errored'],
      ['canceled', 'The plan was canceled'],
      ['unreachable', 'The plan is unreachable']
    ]) {
      expect(evaluateGates(model([]), status, ['errored'], [])).toEqual([
        { condition: 'errored', message, addresses: [] }
      ])
    }
    expect(tripped(model([], { errored: true }), ['errored'])).toEqual({ errored: [] })
    expect(tripped(model([]), ['errored'])).toEqual({})
  })

  it('trips destroy, replace and changes on a replace', () => {
    const replaced = model([
      resourceChange('aws_db_instance.main', ['delete', 'create']),
      resourceChange('aws_lb.front', ['create', 'delete'])
    ])
    const both = ['aws_db_instance.main', 'aws_lb.front']
    expect(tripped(replaced)).toEqual({ changes: both, destroy: both, replace: both })
    expect(trip(replaced, 'destroy').message).toBe(
      '2 resources would be destroyed: aws_db_instance.main, aws_lb.front'
    )
    expect(trip(replaced, 'replace').message).toBe(
      '2 resources would be replaced: aws_db_instance.main, aws_lb.front'
    )
  })

  it('trips destroy but not replace on a delete, naming deposed objects', () => {
    const deleted = model([
      resourceChange('a.b', ['delete']),
      resourceChange('a.c', ['delete'], { deposed: '0f0f' })
    ])
    expect(tripped(deleted)).toEqual({ changes: ['a.b', 'a.c'], destroy: ['a.b', 'a.c'] })
    expect(trip(deleted, 'destroy').message).toBe(
      '2 resources would be destroyed: a.b, a.c (deposed object 0f0f)'
    )
  })

  it.each([
    ['a move', resourceChange('a.b', ['no-op'], { previous_address: 'a.old' })],
    ['an import', resourceChange('a.b', ['no-op'], { change: { importing: { id: 'x' } } })],
    ['a forget', resourceChange('a.b', ['forget'])],
    ['a create', resourceChange('a.b', ['create'])],
    ['an update', resourceChange('a.b', ['update'])]
  ])('trips only changes on %s', (_, change) => {
    expect(tripped(model([change]))).toEqual({ changes: ['a.b'] })
  })

  it('trips replace but not destroy on create-then-forget', () => {
    expect(tripped(model([resourceChange('a.b', ['create', 'forget'])]))).toEqual({
      changes: ['a.b'],
      replace: ['a.b']
    })
  })

  it('trips nothing on a data source read or a data source leaving the state', () => {
    const reads = model([
      resourceChange('data.a.b', ['read']),
      resourceChange('data.a.c', ['delete'])
    ])
    expect(tripped(reads)).toEqual({})
  })

  it('trips changes on an output-only change, without addresses', () => {
    const outputs = model([], {
      output_changes: { ip: { actions: ['create'], before: null, after: '1.2.3.4' } }
    })
    expect(tripped(outputs)).toEqual({ changes: [] })
    expect(trip(outputs, 'changes').message).toBe('The plan has changes: 1 output change')
  })

  it('describes changes with every non-zero count', () => {
    const mixed = model([
      resourceChange('a.b', ['create']),
      resourceChange('a.c', ['delete', 'create'], { change: { importing: { id: 'i' } } }),
      resourceChange('a.d', ['no-op'], { previous_address: 'a.e' }),
      resourceChange('a.f', ['forget'])
    ])
    expect(trip(mixed, 'changes').message).toBe(
      'The plan has changes: 1 to import, 2 to add, 1 to destroy, 1 to move, 1 to forget'
    )
  })

  it('trips drift on objects changed outside of Terraform, not on unchanged ones', () => {
    const drifted = model([], {
      resource_drift: [resourceChange('a.b', ['update']), resourceChange('a.c', ['no-op'])]
    })
    expect(tripped(drifted)).toEqual({ drift: ['a.b'] })
    expect(trip(drifted, 'drift').message).toBe('1 resource changed outside of Terraform: a.b')
  })

  it('trips nothing with none, and keeps the order of fail-on without repeats', () => {
    const everything = model([resourceChange('a.b', ['delete'])], {
      errored: true,
      resource_drift: [resourceChange('a.b', ['update'])]
    })
    expect(evaluateGates(everything, 'finished', ['none'], [])).toEqual([])
    expect(
      evaluateGates(everything, 'errored', ['drift', 'none', 'errored', 'drift'], []).map(
        t => t.condition
      )
    ).toEqual(['drift', 'errored'])
  })

  it('shortens long lists in the message but keeps every address', () => {
    const many = model(Array.from({ length: 8 }, (_, i) => resourceChange(`a.r${i}`, ['delete'])))
    const destroyTrip = trip(many, 'destroy')
    expect(destroyTrip.message).toBe(
      '8 resources would be destroyed: a.r0, a.r1, a.r2, a.r3, a.r4 and 3 more'
    )
    expect(destroyTrip.addresses).toHaveLength(8)
  })

  describe('protect', () => {
    const risky = model([
      resourceChange('aws_db_instance.main', ['delete', 'create']),
      resourceChange('module.prod.aws_s3_bucket.logs["eu"]', ['delete']),
      resourceChange('aws_kms_key.k', ['forget']),
      resourceChange('aws_eip.ip', ['create', 'forget']),
      resourceChange('aws_db_instance.replica', ['update']),
      resourceChange('aws_iam_role.new', ['no-op'], { previous_address: 'aws_iam_role.admin' }),
      resourceChange('aws_iam_role.gone', ['delete'], { previous_address: 'aws_iam_role.root' })
    ])

    it('trips when a protected resource would be destroyed, replaced or forgotten', () => {
      const protectTrip = trip(risky, 'none', [
        'aws_db_instance.*',
        'module.prod.*',
        'aws_kms_key.k'
      ])
      expect(protectTrip.addresses).toEqual([
        'aws_db_instance.main',
        'module.prod.aws_s3_bucket.logs["eu"]',
        'aws_kms_key.k'
      ])
      expect(protectTrip.message).toBe(
        '3 protected resources at risk: aws_db_instance.main would be replaced, ' +
          'module.prod.aws_s3_bucket.logs["eu"] would be destroyed, aws_kms_key.k would be forgotten'
      )
    })

    it('sees create-then-forget as a risk, updates and moves as none', () => {
      expect(trip(risky, 'none', ['aws_eip.*']).message).toBe(
        'A protected resource at risk: aws_eip.ip would be replaced and forgotten'
      )
      expect(
        evaluateGates(
          risky,
          'finished',
          [],
          ['aws_db_instance.replica', 'aws_iam_role.ne*', 'aws_iam_role.admin']
        )
      ).toEqual([])
    })

    it('matches the address a resource moved from', () => {
      expect(trip(risky, 'none', ['aws_iam_role.root']).addresses).toEqual(['aws_iam_role.gone'])
    })

    it('trips nothing without patterns, and alongside fail-on conditions', () => {
      expect(evaluateGates(risky, 'finished', ['none'], [])).toEqual([])
      expect(
        evaluateGates(risky, 'finished', ['destroy'], ['aws_kms_key.*']).map(t => t.condition)
      ).toEqual(['destroy', 'protect'])
    })
  })

  describe('with counts only (no JSON plan)', () => {
    const destroying = modelFromApiCounts({ add: 1, destroy: 2 }, true)
    const adding = modelFromApiCounts({ add: 1 }, true)

    it('trips destroy, and replace and protect as a precaution, when anything is destroyed', () => {
      expect(tripped(destroying, ALL, ['aws_db_instance.*'])).toEqual({
        changes: [],
        destroy: [],
        replace: [],
        protect: []
      })
      expect(trip(destroying, 'destroy').message).toBe('2 resources would be destroyed')
      expect(trip(destroying, 'replace').message).toBe(
        '2 resources would be destroyed, and replacements cannot be told apart without the JSON plan'
      )
      expect(trip(destroying, 'none', ['x.*']).message).toContain(
        'protected resources cannot be checked without the JSON plan'
      )
      expect(trip(destroying, 'changes').message).toBe(
        'The plan has changes: 1 to add, 2 to destroy'
      )
    })

    it('trips only changes when nothing is destroyed', () => {
      expect(tripped(adding, ALL, ['aws_db_instance.*'])).toEqual({ changes: [] })
      expect(tripped(modelFromApiCounts({}, false), ALL, ['*'])).toEqual({})
    })
  })
})
