import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  buildPlanModel,
  formatSummaryLine,
  modelFromApiCounts,
  sumCounts
} from '../../src/plan/model.js'
import type { PlanCounts, PlanModel } from '../../src/plan/model.js'
import { parseJsonPlan } from '../../src/plan/parse.js'
import { plan, resourceChange } from '../fixtures/plans/builders.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/plans')

function fixtureModel(name: string, source: 'json' | 'redacted-json' = 'json'): PlanModel {
  return buildPlanModel(parseJsonPlan(fs.readFileSync(path.join(FIXTURES, name), 'utf8')), source)
}

const counts = (partial: Partial<PlanCounts>): PlanCounts => ({
  add: 0,
  change: 0,
  destroy: 0,
  import: 0,
  replace: 0,
  move: 0,
  forget: 0,
  ...partial
})

describe('buildPlanModel on a plan with every kind of change', () => {
  const model = fixtureModel('mixed.json')

  it('counts like Terraform, plus replaces, moves and forgets', () => {
    expect(model.counts).toEqual({
      import: 1, // aws_vpc.legacy
      add: 4, // create, both replace orders, create-then-forget
      change: 1,
      destroy: 4, // delete, both replace orders, the deposed object
      replace: 3, // both replace orders and create-then-forget
      move: 1,
      forget: 2 // forget and create-then-forget
    })
    expect(model.summaryLine).toBe('Plan: 1 to import, 4 to add, 1 to change, 4 to destroy.')
    expect(model.hasChanges).toBe(true)
  })

  it('keeps the changes worth showing, in plan order, with their actions', () => {
    expect(model.resources.map(r => [r.address, r.action])).toEqual([
      ['aws_instance.web', 'create'],
      ['aws_iam_role.app', 'update'],
      ['aws_db_instance.main', 'replace'],
      ['module.prod.aws_lb.front[0]', 'replace'],
      ['aws_s3_bucket.logs["eu"]', 'delete'],
      ['data.aws_ami.ubuntu', 'read'],
      ['aws_sqs_queue.jobs', 'no-op'],
      ['aws_vpc.legacy', 'no-op'],
      ['aws_kms_key.old', 'forget'],
      ['aws_eip.ip', 'create-forget'],
      ['aws_instance.web', 'delete']
    ])
  })

  it('carries what the renderers need about each resource', () => {
    const byAddress = (address: string, deposed?: string) =>
      model.resources.find(r => r.address === address && r.deposed === deposed)
    expect(byAddress('aws_db_instance.main')).toMatchObject({
      mode: 'managed',
      type: 'aws_db_instance',
      name: 'main',
      providerName: 'registry.terraform.io/hashicorp/aws',
      actions: ['delete', 'create'],
      actionReason: 'replace_because_cannot_update',
      change: { replace_paths: [['engine']] }
    })
    expect(byAddress('module.prod.aws_lb.front[0]')).toMatchObject({
      moduleAddress: 'module.prod',
      actions: ['create', 'delete'],
      actionReason: 'replace_by_triggers'
    })
    expect(byAddress('aws_sqs_queue.jobs')?.previousAddress).toBe('aws_sqs_queue.tasks')
    expect(byAddress('aws_vpc.legacy')?.importing).toEqual({ id: 'vpc-1' })
    expect(byAddress('aws_instance.web', '00000001')?.action).toBe('delete')
    expect(byAddress('data.aws_ami.ubuntu')).toMatchObject({ mode: 'data', action: 'read' })
    expect(byAddress('aws_instance.web')?.previousAddress).toBeUndefined()
  })

  it('leaves out unchanged resources and data sources leaving the state', () => {
    const addresses = model.resources.map(r => r.address)
    expect(addresses).not.toContain('aws_route53_zone.main')
    expect(addresses).not.toContain('data.aws_caller_identity.old')
  })

  it('lists changed outputs by name, marking sensitive ones', () => {
    expect(model.outputs.map(o => [o.name, o.action, o.sensitive])).toEqual([
      ['api_key', 'delete', true],
      ['db_password', 'update', true],
      ['web_ip', 'create', false]
    ])
    expect(model.outputs[1].change.after).toBe('new-secret')
  })

  it('takes drift, deferred changes, failed checks and versions from the plan', () => {
    expect(model.drift.map(r => [r.address, r.action])).toEqual([
      ['aws_security_group.edge', 'update']
    ])
    expect(model.deferred).toEqual([
      {
        reason: 'instance_count_unknown',
        resource: expect.objectContaining({ address: 'aws_instance.workers', action: 'create' })
      }
    ])
    expect(model.failedChecks).toEqual([
      {
        address: 'check.health',
        status: 'fail',
        problems: ['The service answered 503.', 'Latency is above 2s.']
      },
      { address: 'aws_instance.web', status: 'error', problems: ['Invalid AMI.'] }
    ])
    expect(model).toMatchObject({
      source: 'json',
      terraformVersion: '1.10.0',
      formatVersion: '1.2',
      errored: false
    })
  })
})

describe('buildPlanModel on other plans', () => {
  it('finds no changes when everything is a no-op or a data source leaving the state', () => {
    const model = fixtureModel('no-changes.json')
    expect(model.hasChanges).toBe(false)
    expect(model.resources).toEqual([])
    expect(model.outputs).toEqual([])
    expect(model.counts).toEqual(counts({}))
    expect(model.summaryLine).toBe('Plan: 0 to add, 0 to change, 0 to destroy.')
  })

  it('sees a plan that only changes outputs as a change', () => {
    const model = fixtureModel('output-only.json')
    expect(model.hasChanges).toBe(true)
    expect(model.counts).toEqual(counts({}))
    expect(model.outputs.map(o => [o.name, o.sensitive])).toEqual([
      ['endpoint', false],
      ['token', true]
    ])
  })

  it('reports an errored plan', () => {
    const model = fixtureModel('errored.json')
    expect(model.errored).toBe(true)
    expect(model.hasChanges).toBe(false)
  })

  it('reads the redacted shape, with an import by identity', () => {
    const model = fixtureModel('redacted.json', 'redacted-json')
    expect(model).toMatchObject({ source: 'redacted-json', formatVersion: '1.2' })
    expect(model.terraformVersion).toBeUndefined()
    expect(model.summaryLine).toBe('Plan: 1 to import, 1 to add, 1 to change, 0 to destroy.')
    expect(model.resources[1].importing).toEqual({
      identity: { id: 'i-0abc', region: 'eu-west-1' }
    })
    expect(model.drift.map(r => [r.address, r.action])).toEqual([
      ['aws_s3_bucket.assets', 'delete']
    ])
  })

  it.each([
    ['a move', resourceChange('a.b', ['no-op'], { previous_address: 'a.c' }), counts({ move: 1 })],
    [
      'an import',
      resourceChange('a.b', ['no-op'], { change: { importing: {} } }),
      counts({ import: 1 })
    ],
    ['a forget', resourceChange('a.b', ['forget']), counts({ forget: 1 })],
    [
      'a forgotten deposed object',
      resourceChange('a.b', ['forget'], { deposed: 'abcd' }),
      counts({ forget: 1 })
    ]
  ])('sees %s alone as a change that adds and destroys nothing', (_, change, expected) => {
    const model = buildPlanModel(plan([change]), 'json')
    expect(model.counts).toEqual(expected)
    expect(model.hasChanges).toBe(true)
    expect(model.resources).toHaveLength(1)
    expect(model.summaryLine).toMatch(/ 0 to add, 0 to change, 0 to destroy\.$/)
  })

  it('does not count a data source read as a change', () => {
    const model = buildPlanModel(plan([resourceChange('data.a.b', ['read'])]), 'json')
    expect(model.hasChanges).toBe(false)
    expect(model.resources.map(r => r.action)).toEqual(['read'])
  })

  it('counts a moved resource once, whatever else happens to it', () => {
    const model = buildPlanModel(
      plan([resourceChange('a.new', ['update'], { previous_address: 'a.old' })]),
      'json'
    )
    expect(model.counts).toEqual(counts({ change: 1, move: 1 }))
  })

  it('gives an unknown action list its most destructive known meaning', () => {
    const model = buildPlanModel(
      plan([
        resourceChange('a.b', ['delete', 'archive'] as never),
        resourceChange('a.c', ['create', 'archive'] as never),
        resourceChange('a.d', ['archive'] as never)
      ]),
      'json'
    )
    expect(model.resources.map(r => r.action)).toEqual(['delete', 'create'])
  })

  it('models an empty plan', () => {
    const model = buildPlanModel({ format_version: '0.1' }, 'json')
    expect(model).toMatchObject({
      hasChanges: false,
      resources: [],
      drift: [],
      deferred: [],
      failedChecks: [],
      errored: false
    })
  })
})

describe('modelFromApiCounts', () => {
  it('takes the counts and has-changes from the plan attributes', () => {
    const model = modelFromApiCounts({ add: 2, change: 1, destroy: 3, import: 4 }, true)
    expect(model.source).toBe('api-counts')
    expect(model.counts).toEqual(counts({ add: 2, change: 1, destroy: 3, import: 4 }))
    expect(model.summaryLine).toBe('Plan: 4 to import, 2 to add, 1 to change, 3 to destroy.')
    expect(model.resources).toEqual([])
    expect(model.hasChanges).toBe(true)
  })

  it('trusts has-changes over the counts (output-only plans have no counts)', () => {
    expect(modelFromApiCounts({}, true).hasChanges).toBe(true)
    expect(modelFromApiCounts({ add: 1 }, false).hasChanges).toBe(false)
  })

  it('falls back to the counts when has-changes is missing, and reads absent imports as none', () => {
    expect(modelFromApiCounts({ import: undefined }, undefined).hasChanges).toBe(false)
    expect(modelFromApiCounts({ import: undefined }, undefined).summaryLine).toBe(
      'Plan: 0 to add, 0 to change, 0 to destroy.'
    )
    expect(modelFromApiCounts({ destroy: 1 }, undefined).hasChanges).toBe(true)
  })
})

describe('formatSummaryLine and sumCounts', () => {
  it("writes Terraform's line, with imports first only when there are some", () => {
    expect(formatSummaryLine(counts({ add: 3, change: 2, destroy: 1, replace: 1 }))).toBe(
      'Plan: 3 to add, 2 to change, 1 to destroy.'
    )
    expect(formatSummaryLine(counts({ import: 2, forget: 5, move: 1 }))).toBe(
      'Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.'
    )
  })

  it('adds every count', () => {
    const a = counts({ add: 1, change: 2, destroy: 3, import: 4, replace: 5, move: 6, forget: 7 })
    const b = counts({
      add: 10,
      change: 20,
      destroy: 30,
      import: 40,
      replace: 50,
      move: 60,
      forget: 70
    })
    expect(sumCounts(a, b)).toEqual(
      counts({ add: 11, change: 22, destroy: 33, import: 44, replace: 55, move: 66, forget: 77 })
    )
  })
})

describe('buildPlanModel with provider schemas', () => {
  // Found by the corpus fuzzer: a provider_name turned into a property key overflowed the stack.
  it('ignores a provider name or type that is not a string, however deeply nested', () => {
    let deep: unknown = 'registry.terraform.io/hashicorp/null'
    for (let i = 0; i < 5000; i++) deep = [deep]
    const odd = resourceChange('null_resource.a', ['create'], {
      provider_name: deep as string,
      type: deep as string
    })
    const built = buildPlanModel(
      plan([odd], {
        provider_schemas: { 'registry.terraform.io/hashicorp/null': { resource_schemas: {} } }
      }),
      'json'
    )
    expect(built.counts.add).toBe(1)
  })
})
