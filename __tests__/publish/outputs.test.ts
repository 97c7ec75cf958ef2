import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { buildOutputs, maskOutputs, setOutputs } from '../../src/publish/outputs.js'
import { createMasker } from '../../src/util/mask.js'
import { formatSummaryLine, sumCounts } from '../../src/plan/model.js'
import type { PlanCounts, PlanModel, ResourceChangeModel } from '../../src/plan/model.js'
import type { ChangeAction } from '../../src/plan/types.js'
import type { WorkspaceResult } from '../../src/result.js'
import { readActionYml } from '../helpers/action-yml.js'
import { workspaceResult } from '../fixtures/render-fixtures.js'

/** Planted in every place a value can hide; it must never reach the `results` output. */
const SECRET = 'SECRET-MARKER-7f3a91'

const counts = (add: number, change: number, destroy: number, more: Partial<PlanCounts> = {}) => ({
  add,
  change,
  destroy,
  import: 0,
  replace: 0,
  move: 0,
  forget: 0,
  ...more
})

function resource(
  address: string,
  action: Exclude<ResourceChangeModel['action'], 'create-forget'>,
  extra: Partial<ResourceChangeModel> = {}
): ResourceChangeModel {
  const [type, name] = address.split('.').slice(-2)
  const actions: ChangeAction[] = action === 'replace' ? ['delete', 'create'] : [action]
  return {
    address,
    mode: 'managed',
    type,
    name,
    action,
    actions,
    change: {
      actions,
      before: { password: SECRET, tags: { owner: SECRET } },
      after: { password: `${SECRET}-new` },
      before_sensitive: { password: true },
      after_sensitive: { password: true }
    },
    ...extra
  }
}

function model(overrides: Partial<PlanModel> = {}): PlanModel {
  return {
    source: 'json',
    terraformVersion: '1.9.0',
    formatVersion: '1.2',
    counts: counts(0, 0, 0),
    hasChanges: false,
    summaryLine: 'No changes.',
    resources: [],
    outputs: [],
    drift: [],
    deferred: [],
    failedChecks: [],
    errored: false,
    ...overrides
  }
}

function result(overrides: Partial<WorkspaceResult> = {}): WorkspaceResult {
  return workspaceResult({
    runId: 'run-CZcmD7eagjhyX0vN',
    planId: 'plan-Vz6hsV3ujRzuDbCK',
    workspace: 'app-prod',
    model: model(),
    ...overrides
  })
}

/** A workspace whose plan has a bit of everything, secrets included. */
const prod = result({
  model: model({
    counts: counts(2, 1, 2, { import: 1, replace: 1, move: 1, forget: 1 }),
    hasChanges: true,
    summaryLine: 'Plan: 1 to import, 2 to add, 1 to change, 2 to destroy.',
    resources: [
      resource('aws_instance.web', 'create'),
      resource('aws_db_instance.main', 'replace', { actionReason: 'replace_because_tainted' }),
      resource('aws_s3_bucket.logs', 'delete'),
      resource('aws_iam_role.ci', 'update', { importing: { id: 'ci', identity: { key: SECRET } } }),
      resource('module.net.aws_vpc.main', 'no-op', { previousAddress: 'aws_vpc.main' }),
      resource('aws_kms_key.old', 'forget')
    ],
    outputs: [
      {
        name: 'db_password',
        action: 'update',
        sensitive: true,
        change: { actions: ['update'], before: SECRET, after: `${SECRET}2` }
      }
    ],
    drift: [resource('aws_security_group.edge', 'update')],
    deferred: [{ reason: 'provider_config_unknown', resource: resource('aws_eip.x', 'create') }],
    failedChecks: [{ address: 'check.health', status: 'fail', problems: [`got ${SECRET}`] }]
  }),
  gates: [
    {
      condition: 'destroy',
      message: '2 resources would be destroyed',
      addresses: ['aws_s3_bucket.logs']
    },
    { condition: 'protect', message: '1 protected resource', addresses: ['aws_db_instance.main'] },
    { condition: 'destroy', message: 'again', addresses: [] }
  ],
  diagnostics: [
    {
      severity: 'warning',
      summary: 'Deprecated attribute',
      detail: `The value ${SECRET} is deprecated`,
      filename: 'main.tf',
      line: 12,
      snippet: { code: `password = "${SECRET}"`, startLine: 12 }
    }
  ],
  logTail: [`Error: ${SECRET}`],
  warnings: ['Sentinel export failed'],
  jsonPath: '/tmp/plans/plan-Vz6hsV3ujRzuDbCK.json',
  sentinelMocks: { path: '/tmp/mocks/prod', files: ['mock-tfplan-v2.sentinel'] },
  execution: { mode: 'agent', agentPoolName: 'pool-a' }
})

/** The comment publishing wrote for prod. */
const prodComment = { id: 1001, url: 'https://github.com/o/r/pull/1#issuecomment-1001' }
const posted = new Map([[prod, prodComment]])

const staging = result({
  runId: 'run-0123456789abcdef',
  planId: 'plan-0123456789abcdef',
  organization: 'acme',
  workspace: 'app-staging',
  runUrl: 'https://app.terraform.io/app/acme/app-staging/runs/run-0123456789abcdef',
  status: 'errored',
  model: model({ counts: counts(3, 0, 0), hasChanges: true, summaryLine: 'Plan: 3 to add.' }),
  gates: [{ condition: 'errored', message: 'the plan errored', addresses: [] }]
})

const quiet = result({
  runId: 'run-aaaaaaaaaaaaaaaa',
  planId: 'plan-aaaaaaaaaaaaaaaa',
  organization: 'other-org',
  workspace: 'shared'
})

describe('buildOutputs', () => {
  it('writes exactly the outputs declared in action.yml', () => {
    const declared = readActionYml().outputs
    expect(declared.length).toBeGreaterThan(15)
    expect(Object.keys(buildOutputs([prod])).sort()).toEqual([...declared].sort())
  })

  it('gives plain values for one workspace', () => {
    const outputs = buildOutputs([prod], posted)
    expect(outputs).toMatchObject({
      'run-id': prod.runId,
      'plan-id': prod.planId,
      organization: 'acme',
      workspace: 'app-prod',
      'run-url': prod.runUrl,
      status: 'finished',
      'has-changes': 'true',
      add: '2',
      change: '1',
      destroy: '2',
      import: '1',
      replace: '1',
      move: '1',
      forget: '1',
      summary: prod.model.summaryLine,
      'json-path': prod.jsonPath,
      'comment-id': '1001',
      'comment-url': prodComment.url,
      'sentinel-mocks-path': '/tmp/mocks/prod'
    })
  })

  it('lists the tripped conditions of one workspace once each, in gate order', () => {
    expect(buildOutputs([prod])['failed-checks']).toBe('destroy,protect')
    expect(buildOutputs([quiet])['failed-checks']).toBe('')
  })

  it('gives empty strings, not "undefined", for what one workspace lacks', () => {
    const outputs = buildOutputs([quiet])
    for (const name of ['json-path', 'comment-id', 'comment-url', 'sentinel-mocks-path']) {
      expect(outputs[name]).toBe('')
    }
    expect(outputs['has-changes']).toBe('false')
    expect(Object.values(outputs).join('\n')).not.toContain('undefined')
  })

  it('sums the counts of several workspaces and keeps their lists in order', () => {
    const outputs = buildOutputs([prod, staging, quiet])
    const total = (name: keyof PlanCounts): string =>
      String([prod, staging, quiet].reduce((sum, r) => sum + r.model.counts[name], 0))
    expect(outputs).toMatchObject({
      'run-id': `${prod.runId},${staging.runId},${quiet.runId}`,
      'plan-id': `${prod.planId},${staging.planId},${quiet.planId}`,
      workspace: 'app-prod,app-staging,shared',
      organization: 'acme,other-org',
      'run-url': `${prod.runUrl},${staging.runUrl},${quiet.runUrl}`,
      'has-changes': 'true',
      add: total('add'),
      change: total('change'),
      destroy: total('destroy'),
      import: total('import'),
      replace: total('replace'),
      move: total('move'),
      forget: total('forget'),
      summary: formatSummaryLine(
        sumCounts(sumCounts(prod.model.counts, staging.model.counts), quiet.model.counts)
      )
    })
    expect(outputs.add).toBe('5')
  })

  it('keeps the place of a missing value so lists line up by workspace', () => {
    const outputs = buildOutputs([staging, prod, quiet], posted)
    expect(outputs['comment-id']).toBe(',1001,')
    expect(outputs['json-path']).toBe(`,${prod.jsonPath},`)
    expect(buildOutputs([staging, quiet])['comment-url']).toBe('')
  })

  it('has no changes when no workspace has any', () => {
    expect(buildOutputs([quiet, quiet])['has-changes']).toBe('false')
  })

  it('names the workspace of each tripped condition when there are several', () => {
    expect(buildOutputs([prod, staging, quiet])['failed-checks']).toBe(
      'app-prod:destroy,app-prod:protect,app-staging:errored'
    )
    const unnamed = { ...staging, workspace: undefined }
    expect(buildOutputs([unnamed, quiet])['failed-checks']).toBe(`${staging.runId}:errored`)
  })

  it('lists waived conditions in overridden, apart from what still fails', () => {
    const waiver = { by: 'alice', how: 'approval' as const, commit: 'a'.repeat(40) }
    const destroy = prod.gates.filter(gate => gate.condition === 'destroy')
    const approved = {
      ...prod,
      gates: prod.gates.filter(gate => gate.condition !== 'destroy'),
      waived: destroy.map(gate => ({ ...gate, waiver }))
    }
    const one = buildOutputs([approved])
    expect([one.overridden, one['failed-checks']]).toEqual(['destroy', 'protect'])
    expect(buildOutputs([approved, staging]).overridden).toBe('app-prod:destroy')
    expect(buildOutputs([prod]).overridden).toBe('')
    expect(JSON.parse(buildOutputs([approved]).results)[0].waived).toEqual(approved.waived)
  })

  it.each([
    [['finished', 'errored', 'canceled'], 'errored'],
    [['finished', 'canceled', 'unreachable'], 'canceled'],
    [['unreachable', 'finished'], 'unreachable'],
    [['finished', 'policy_soft_failed', 'finished'], 'policy_soft_failed'],
    [['unreachable', 'policy_soft_failed'], 'unreachable'],
    [['finished', 'finished'], 'finished']
  ])('reports the worst status of %j as %s', (statuses, worst) => {
    expect(buildOutputs(statuses.map(status => result({ status }))).status).toBe(worst)
  })

  it('stays well formed without any workspace', () => {
    const outputs = buildOutputs([])
    expect(outputs).toMatchObject({ status: '', 'has-changes': 'false', add: '0', results: '[]' })
    expect(outputs.summary).toBe(formatSummaryLine(counts(0, 0, 0)))
  })
})

describe('the results output', () => {
  const parsed = (): Record<string, unknown>[] =>
    JSON.parse(buildOutputs([prod, staging], posted)['results']) as Record<string, unknown>[]

  it('never contains an attribute value, a code snippet or a log line', () => {
    expect(JSON.stringify(prod)).toContain(SECRET)
    expect(buildOutputs([prod, staging])['results']).not.toContain(SECRET)
  })

  it('describes each workspace: ids, status, counts, summary, gates and links', () => {
    const [first, second] = parsed()
    expect(first).toMatchObject({
      hostname: 'app.terraform.io',
      organization: 'acme',
      workspace: 'app-prod',
      runId: prod.runId,
      planId: prod.planId,
      runUrl: prod.runUrl,
      status: 'finished',
      source: 'json',
      terraformVersion: '1.9.0',
      errored: false,
      hasChanges: true,
      counts: prod.model.counts,
      summary: prod.model.summaryLine,
      gates: prod.gates,
      warnings: ['Sentinel export failed'],
      jsonPath: prod.jsonPath,
      sentinelMocksPath: '/tmp/mocks/prod',
      comment: prodComment,
      execution: prod.execution
    })
    expect(second).toMatchObject({ workspace: 'app-staging', status: 'errored' })
  })

  it('lists the addresses per action, imports, moves, outputs, drift and deferrals', () => {
    const [first] = parsed()
    expect(first.changes).toEqual({
      create: ['aws_instance.web'],
      update: ['aws_iam_role.ci'],
      delete: ['aws_s3_bucket.logs'],
      replace: ['aws_db_instance.main'],
      read: [],
      forget: ['aws_kms_key.old'],
      'create-forget': []
    })
    expect(first.imports).toEqual(['aws_iam_role.ci'])
    expect(first.moves).toEqual([{ from: 'aws_vpc.main', to: 'module.net.aws_vpc.main' }])
    expect(first.outputs).toEqual([{ name: 'db_password', action: 'update', sensitive: true }])
    expect(first.drift).toEqual([{ address: 'aws_security_group.edge', action: 'update' }])
    expect(first.deferred).toEqual([
      { address: 'aws_eip.x', action: 'create', reason: 'provider_config_unknown' }
    ])
    expect(first.failedChecks).toEqual([{ address: 'check.health', status: 'fail' }])
  })

  it('leaves the address lists out, keeping the counts, when they would pass 1 MB', () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      resource(`module.fleet.aws_instance.server_with_a_long_name["${i}"]`, 'delete')
    )
    const big = result({ model: model({ resources: many, counts: counts(0, 0, many.length) }) })
    const text = buildOutputs([big]).results
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1_000_000)
    const [summary] = JSON.parse(text)
    expect(summary.addressesOmitted).toBe(true)
    expect(summary.changes.delete).toEqual([])
    expect(summary.counts.destroy).toBe(20_000)

    const small = JSON.parse(buildOutputs([prod]).results)[0]
    expect(small.addressesOmitted).toBeUndefined()
  })

  it('keeps only the summary and location of diagnostics', () => {
    const [first] = parsed()
    expect(first.diagnostics).toEqual([
      { severity: 'warning', summary: 'Deprecated attribute', filename: 'main.tf', line: 12 }
    ])
  })
})

describe('setOutputs', () => {
  const previous = process.env.GITHUB_OUTPUT
  afterEach(() => {
    if (previous === undefined) delete process.env.GITHUB_OUTPUT
    else process.env.GITHUB_OUTPUT = previous
  })

  it('writes every output to the GITHUB_OUTPUT file, multi-line values included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-test-'))
    const file = path.join(dir, 'output')
    fs.writeFileSync(file, '')
    process.env.GITHUB_OUTPUT = file
    try {
      const outputs = { ...buildOutputs([prod, staging]), summary: 'line one\nline two' }
      setOutputs(outputs)
      expect(readOutputFile(fs.readFileSync(file, 'utf8'))).toEqual(outputs)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

/** Parses the runner's `name<<delimiter\nvalue\ndelimiter` file format. */
function readOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split(os.EOL)
  for (let i = 0; i < lines.length; i++) {
    const header = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!header) continue
    const [, name, delimiter] = header
    const end = lines.indexOf(delimiter, i + 1)
    expect(end).toBeGreaterThan(i)
    outputs[name] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return outputs
}

describe('changed-since-previous', () => {
  const compared = (same: boolean): WorkspaceResult =>
    workspaceResult({
      sinceLastPush: {
        previousPlanId: 'plan-old',
        comparison: {
          added: same ? [] : [{ address: 'aws_instance.a', action: 'create' }],
          removed: [],
          replanned: []
        }
      }
    })
  const unreadable = workspaceResult({
    sinceLastPush: { previousPlanId: 'plan-old', unavailable: 'gone' }
  })
  const changed = (results: WorkspaceResult[]) => buildOutputs(results)['changed-since-previous']

  it('is true when any compared plan differs, false when each is the same', () => {
    expect(changed([compared(true), compared(false)])).toBe('true')
    expect(changed([compared(true), unreadable, workspaceResult()])).toBe('false')
  })

  it('is empty when nothing was compared', () => {
    expect(changed([workspaceResult(), unreadable])).toBe('')
  })
})

describe('maskOutputs', () => {
  it('masks every output, and results value by value so it stays JSON', () => {
    const result = workspaceResult({ warnings: [`leaked ${SECRET} here`] })
    const masker = createMasker([/SECRET-MARKER-[0-9a-f]+/g, /"/g])
    const outputs = maskOutputs({ ...buildOutputs([result]), summary: `x ${SECRET}` }, masker)
    expect(outputs.summary).toBe('x (masked)')
    expect(JSON.parse(outputs.results)[0].warnings).toEqual(['leaked (masked) here'])
    expect(Object.values(outputs).join('\n')).not.toContain(SECRET)
  })
})
