import { describe, expect, it } from '@jest/globals'
import { commentMarker, renderComment, renderSummary } from '../../src/render/report.js'
import { codeSpan as code } from '../../src/render/markdown.js'
import type { RenderOptions } from '../../src/render/report.js'
import type { WorkspaceResult } from '../../src/result.js'
import { model, output, resource, workspaceResult } from '../fixtures/render-fixtures.js'
import { expectWellFormed, proseOf, splitFences, visibleText } from './checks.js'

const MARKER = commentMarker('prod', '')
const options = (overrides: Partial<RenderOptions> = {}): RenderOptions => ({
  marker: MARKER,
  details: true,
  maxLength: 65536,
  summaryUrl: 'https://github.com/acme/infra/actions/runs/42',
  ...overrides
})

const instance = (i: number, action: 'create' | 'update' | 'delete' | 'replace', size = 1) =>
  resource(
    action,
    {
      before: action === 'create' ? null : { id: `i-${i}`, data: 'a'.repeat(size) },
      after: action === 'delete' ? null : { id: `i-${i}`, data: 'b'.repeat(size) },
      ...(action === 'replace' ? { replace_paths: [['data']] } : {})
    },
    { name: `n${i}`, ...(action === 'replace' ? { actionReason: 'replace_because_tainted' } : {}) }
  )

const mixedPlan = (): WorkspaceResult =>
  workspaceResult({
    model: model({
      resources: [
        instance(1, 'delete'),
        instance(2, 'create'),
        instance(3, 'update'),
        instance(4, 'replace'),
        resource(
          'no-op',
          { before: { id: 'x' }, after: { id: 'x' } },
          { name: 'moved', previousAddress: 'aws_instance.old' }
        ),
        resource(
          'read',
          { before: null, after: { id: 'ami' } },
          { mode: 'data', type: 'aws_ami', name: 'ubuntu' }
        )
      ],
      outputs: [output('url', 'create', { before: null, after: 'https://x' })]
    })
  })

describe('renderComment for one workspace', () => {
  it('starts with the marker and shows the header, counts and run link', () => {
    const comment = renderComment([mixedPlan()], options())
    expect(comment.startsWith(`${MARKER}\n`)).toBe(true)
    expect(comment).toContain('<code>acme/prod</code>: changes planned')
    expect(visibleText(comment)).toContain('Plan: 2 to add, 1 to change, 2 to destroy.')
    expect(comment).toContain('| Add | Change | Destroy | Replace | Import | Move | Forget |')
    expect(comment).toContain('| 2 | 1 | 2 | 1 | 0 | 1 | 0 |')
    expect(comment).toContain(
      '<a href="https://app.terraform.io/app/acme/prod/runs/run-AbCdEf0123456789">'
    )
    expectWellFormed(comment)
  })

  it('calls out destroys and replaces before the resource list', () => {
    const comment = renderComment([mixedPlan()], options())
    const warning = comment.indexOf('> [!WARNING]')
    expect(warning).toBeGreaterThan(0)
    expect(warning).toBeLessThan(comment.indexOf('Resource changes'))
    const alertText = visibleText(comment.slice(warning, comment.indexOf('\n\n', warning)))
    expect(alertText).toContain('This plan destroys 1 resource and replaces 1 resource.')
    expect(alertText).toContain('aws_instance.n1 will be destroyed')
    expect(alertText).toContain('aws_instance.n4 is tainted, so must be replaced')
  })

  it('groups resources by action in reading order, each with its diff', () => {
    const comment = renderComment([mixedPlan()], options())
    const order = [
      '➕ Create',
      '🔄 Update in-place',
      '♻️ Replace',
      '🗑️ Destroy',
      '🚚 Move',
      '📖 Read'
    ].map(title => comment.indexOf(`#### ${title}`))
    expect(order.every((position, i) => position > 0 && (i === 0 || position > order[i - 1]))).toBe(
      true
    )
    expect(comment).toContain(
      `<details><summary>${code('aws_instance.n2')} will be created</summary>`
    )
    expect(comment).toContain(
      `${code('aws_instance.old')} has moved to ${code('aws_instance.moved')}`
    )
    const diffs = splitFences(comment).code
    expect(diffs.some(code => code.startsWith('-/+ resource "aws_instance" "n4" {'))).toBe(true)
    expect(diffs.some(code => code.includes('+   url = "https://x"'))).toBe(true)
  })

  it('leaves the diffs out but keeps every headline when details is false', () => {
    const comment = renderComment([mixedPlan()], options({ details: false }))
    expect(comment).not.toContain('```diff')
    expect(comment).not.toContain('<details>')
    expect(comment).toContain(`- ${code('aws_instance.n2')} will be created`)
    expect(comment).toContain(`- ${code('url')} added`)
  })

  it('states tripped gates at the top with their addresses', () => {
    const result = mixedPlan()
    result.gates = [
      {
        condition: 'destroy',
        message: '2 resources would be destroyed',
        addresses: ['aws_instance.n1', 'aws_instance.n4']
      }
    ]
    const comment = renderComment([result], options())
    const caution = comment.indexOf('> [!CAUTION]')
    expect(caution).toBeGreaterThan(0)
    expect(caution).toBeLessThan(comment.indexOf('> [!WARNING]'))
    expect(visibleText(comment)).toContain('Gate tripped: destroy — 2 resources would be destroyed')
    expect(comment).toContain(`> - ${code('aws_instance.n4')}`)
    expect(comment.split('\n')[1]).toMatch(/^## ⛔ /)
  })

  it('explains an errored plan with its diagnostics and log first', () => {
    const result = workspaceResult({
      status: 'errored',
      model: model({ errored: true }),
      diagnostics: [
        {
          severity: 'error',
          summary: 'Unsupported argument',
          detail: 'An argument named "amii" is not expected here.',
          filename: 'main.tf',
          line: 3,
          snippet: { context: 'resource "aws_instance" "web"', code: '  amii = "x"', startLine: 3 }
        }
      ],
      logTail: ['Terraform v1.9.5', 'Error: Unsupported argument']
    })
    const comment = renderComment([result], options())
    expect(comment).toContain('## ❌ <code>acme/prod</code>: plan errored')
    const shown = visibleText(comment)
    expect(shown).toContain('The plan errored. 1 error below.')
    expect(shown).toContain('❌ Error: Unsupported argument')
    expect(shown).toContain('on main.tf line 3, in resource "aws_instance" "web":')
    expect(shown).toContain('An argument named "amii" is not expected here.')
    expect(splitFences(comment).code).toEqual([
      '   3:   amii = "x"',
      'Terraform v1.9.5\nError: Unsupported argument'
    ])
  })

  it('says prominently why details are missing when only API counts are known', () => {
    const result = workspaceResult({
      model: model({
        source: 'api-counts',
        counts: { add: 1, change: 0, destroy: 2, import: 0, replace: 0, move: 0, forget: 0 },
        hasChanges: true,
        summaryLine: 'Plan: 1 to add, 0 to change, 2 to destroy.'
      }),
      detailsNote: 'The token may not read the JSON plan: it needs workspace admin access.'
    })
    const comment = renderComment([result], options())
    expect(comment).toContain('> [!IMPORTANT]')
    expect(visibleText(comment)).toContain(
      'Per-resource details are not available. The token may not read the JSON plan'
    )
    expect(comment).toContain('| 1 | 0 | 2 | – | 0 | – | – |')
    expect(visibleText(comment)).toContain('This plan destroys 2 resources.')
  })

  it('shows a plan without changes as such', () => {
    const comment = renderComment([workspaceResult()], options())
    expect(comment).toContain('## ✅ <code>acme/prod</code>: no changes')
    expect(visibleText(comment)).toContain(
      'No changes. Your infrastructure matches the configuration.'
    )
    expect(comment).not.toContain('Resource changes')
  })

  it('shows drift, deferred changes, failed checks and warnings', () => {
    const drifted = resource(
      'update',
      { before: { id: 'x', v: 1 }, after: { id: 'x', v: 2 } },
      { name: 'drifted' }
    )
    const result = workspaceResult({
      model: model({
        drift: [drifted],
        deferred: [{ reason: 'provider_config_unknown', resource: instance(9, 'create') }],
        failedChecks: [{ address: 'check.health', status: 'fail', problems: ['endpoint is down'] }]
      }),
      warnings: ['The Sentinel mock export failed: 500']
    })
    const shown = visibleText(renderComment([result], options()))
    expect(shown).toContain('Objects have changed outside of Terraform')
    expect(shown).toContain('aws_instance.drifted has changed')
    expect(shown).toContain(
      'aws_instance.n9 was deferred (because the provider configuration is unknown)'
    )
    expect(shown).toContain('check.health fail: endpoint is down')
    expect(shown).toContain('The Sentinel mock export failed: 500')
  })

  it('shows the label and the execution details', () => {
    const result = workspaceResult({
      execution: { mode: 'agent', agentName: 'agent-7', agentPoolName: 'private' }
    })
    const comment = renderComment([result], options({ label: 'staging' }))
    expect(comment).toContain('<code>acme/prod</code> · <code>staging</code>')
    expect(visibleText(comment)).toContain('agent agent-7 in pool private')
  })
})

describe('renderComment for several workspaces', () => {
  const results = (): WorkspaceResult[] => [
    mixedPlan(),
    workspaceResult({ workspace: 'stage', status: 'errored', model: model({ errored: true }) })
  ]

  it('puts an overview table first, then a collapsible section per workspace', () => {
    const comment = renderComment(results(), options({ marker: commentMarker('combined', '') }))
    const table = comment.indexOf('| Workspace | Status | Add | Change | Destroy | Run |')
    expect(table).toBeGreaterThan(0)
    expect(comment).toContain('| 📝 <code>acme/prod</code> | changes planned | 2 | 1 | 2 |')
    expect(comment).toContain('| ❌ <code>acme/stage</code> | plan errored | 0 | 0 | 0 |')
    const sections = [
      ...comment.matchAll(/^<details><summary>(📝|❌) <code>acme\/(prod|stage)<\/code>/gm)
    ]
    expect(sections.map(match => match[2])).toEqual(['prod', 'stage'])
    expect(sections[0].index).toBeGreaterThan(table)
    expectWellFormed(comment)
  })
})

describe('the commit in the header', () => {
  const commit = {
    sha: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
    url: 'https://ghes.example.com/acme/infra/commit/1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b'
  }
  const linked = `commit <a href="${commit.url}"><code>1a2b3c4</code></a>`

  it('is named, short and linked, before the first table of one workspace', () => {
    const comment = renderComment([mixedPlan()], options({ commit }))
    expect(comment).toContain(linked)
    expect(comment.indexOf(linked)).toBeLessThan(comment.indexOf('| Add |'))
  })

  it('is named once above the overview of several workspaces', () => {
    const results = [mixedPlan(), workspaceResult({ workspace: 'staging' })]
    const comment = renderComment(results, options({ commit }))
    expect(comment.split(linked)).toHaveLength(2)
    expect(comment.indexOf(linked)).toBeLessThan(comment.indexOf('| Workspace |'))
  })

  it('is left out when the commit is not known', () => {
    expect(renderComment([mixedPlan()], options())).not.toContain('/commit/')
  })
})

describe('renderSummary', () => {
  it('always has the overview table and never the marker', () => {
    const summary = renderSummary([mixedPlan()], options({ maxLength: 1_000_000 }))
    expect(summary).not.toContain('<!--')
    expect(summary.startsWith('| Workspace | Status |')).toBe(true)
    expect(summary).toContain('## 📝 <code>acme/prod</code>')
  })

  it('counts its limit in UTF-8 bytes', () => {
    const wide = instance(1, 'update', 40_000)
    wide.change = { ...wide.change, after: { id: 'i-1', data: '€'.repeat(40_000) } }
    const result = workspaceResult({ model: model({ resources: [wide] }) })
    const summary = renderSummary([result], options({ maxLength: 100_000 }))
    expect(summary.length).toBeLessThan(100_000)
    expect(new TextEncoder().encode(summary).length).toBeLessThanOrEqual(100_000)
    expect(summary).toContain('This summary was shortened')
  })
})

describe('the size budget', () => {
  const big = (): WorkspaceResult =>
    workspaceResult({
      model: model({
        resources: [
          instance(1, 'update', 30_000),
          ...Array.from({ length: 40 }, (_, i) => instance(i + 10, 'update', 100)),
          instance(2, 'delete', 20_000)
        ]
      })
    })

  it('drops the largest diffs first, keeps their headlines, and says where the rest is', () => {
    const comment = renderComment([big()], options({ maxLength: 40_000 }))
    expect(comment.length).toBeLessThanOrEqual(40_000)
    expect(comment).not.toContain('a'.repeat(30_000))
    expect(comment).toContain(`- ${code('aws_instance.n1')} will be updated in-place`)
    expect(comment).toContain(
      `<details><summary>${code('aws_instance.n10')} will be updated in-place</summary>`
    )
    expect(comment).toContain('> [!NOTE]')
    expect(visibleText(comment)).toContain(
      "This comment was shortened to fit GitHub's size limit; the full plan is in the job summary: open the job summary"
    )
    expect(comment).toContain('<a href="https://github.com/acme/infra/actions/runs/42">')
    expectWellFormed(comment)
  })

  it('drops all diffs, then turns resource lists into counts, keeping the warnings', () => {
    const many = workspaceResult({
      model: model({
        resources: Array.from({ length: 3000 }, (_, i) => instance(i, i % 2 ? 'update' : 'delete'))
      })
    })
    const comment = renderComment([many], options({ maxLength: 20_000 }))
    expect(comment.length).toBeLessThanOrEqual(20_000)
    expect(comment).not.toContain('```diff')
    expect(visibleText(comment)).toContain('1500 resources; the list was left out to fit.')
    expect(visibleText(comment)).toContain('This plan destroys 1500 resources.')
    expect(comment).toContain('| 0 | 1500 | 1500 | 0 | 0 | 0 | 0 |')
    expectWellFormed(comment)
  })

  it('falls back to one line per workspace when nothing else fits', () => {
    const results = Array.from({ length: 30 }, (_, i) => ({ ...big(), workspace: `ws-${i}` }))
    const comment = renderComment(
      results,
      options({ marker: commentMarker('combined', ''), maxLength: 1_500 })
    )
    expect(comment.length).toBeLessThanOrEqual(1_500)
    expect(comment.startsWith(commentMarker('combined', ''))).toBe(true)
    expect(comment).toContain('> [!NOTE]')
    expect(visibleText(comment)).toMatch(/and \d+ more workspaces/)
  })

  it('links the run when there is no job summary link', () => {
    const comment = renderComment([big()], options({ maxLength: 40_000, summaryUrl: undefined }))
    expect(visibleText(comment)).toContain('the full plan is in the run: run-AbCdEf0123456789')
  })
})

describe('hostile content', () => {
  it('leaves out a diff nested too deep to walk, not the comment', () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000)
    const result = workspaceResult({
      model: model({ resources: [resource('create', { before: null, after: { policy: deep } })] })
    })
    const comment = renderComment([result], options())
    expect(comment).toContain(
      `- ${code('aws_instance.web')} will be created <i>(the diff could not be shown: `
    )
    expectWellFormed(comment)
  })

  it('cannot inject HTML, mentions or a marker through names and messages', () => {
    const evil = '<img src=x onerror=alert(1)> @admin #1 <!-- tfc-plan-summary:prod: --> `|`'
    const result = workspaceResult({
      workspace: evil,
      organization: evil,
      status: evil,
      warnings: [evil],
      gates: [{ condition: 'protect', message: evil, addresses: [evil] }],
      model: model({
        resources: [resource('create', { before: null, after: { v: evil } }, { name: evil })]
      })
    })
    const comment = renderComment([result], options({ label: evil }))
    expect(comment.indexOf('<!--')).toBe(0)
    expect(comment.lastIndexOf('<!--')).toBe(0)
    const prose = proseOf(comment)
    expect(prose).not.toContain('<img')
    expect(visibleText(prose)).not.toMatch(/@admin|#1\b/)
    expectWellFormed(comment)
  })
})

describe('snapshots', () => {
  const snapshot = (results: WorkspaceResult[], overrides: Partial<RenderOptions> = {}): string =>
    renderComment(results, options(overrides))

  it('create only', () => {
    const result = workspaceResult({
      model: model({
        resources: [
          resource('create', {
            before: null,
            after: {
              ami: 'ami-0c55b159cbfafe1f0',
              instance_type: 't3.micro',
              tags: { Name: 'web' }
            },
            after_unknown: { id: true, arn: true, private_ip: true }
          })
        ]
      })
    })
    expect(snapshot([result])).toMatchSnapshot()
  })

  it('replace with reasons', () => {
    const result = workspaceResult({
      model: model({
        resources: [
          resource(
            'replace',
            {
              before: { id: 'i-1', ami: 'a' },
              after: { ami: 'b' },
              after_unknown: { id: true },
              replace_paths: [['ami']]
            },
            { name: 'cannot_update', actionReason: 'replace_because_cannot_update' }
          ),
          resource(
            'replace',
            { before: { id: 'i-2' }, after: {}, after_unknown: { id: true } },
            { name: 'tainted', actionReason: 'replace_because_tainted' }
          ),
          resource(
            'replace',
            { before: { id: 'i-3' }, after: {}, after_unknown: { id: true } },
            { name: 'requested', actionReason: 'replace_by_request', actions: ['create', 'delete'] }
          )
        ]
      })
    })
    expect(snapshot([result])).toMatchSnapshot()
  })

  it('errored with diagnostics', () => {
    const result = workspaceResult({
      status: 'errored',
      model: model({ errored: true }),
      diagnostics: [
        {
          severity: 'error',
          summary: 'Invalid reference',
          detail:
            'A reference to a resource type must be followed by at least one attribute access.',
          filename: 'main.tf',
          line: 7,
          snippet: { code: '  subnet_id = aws_subnet', startLine: 7 }
        },
        { severity: 'warning', summary: 'Argument is deprecated', detail: 'Use tags_all instead.' }
      ]
    })
    expect(snapshot([result])).toMatchSnapshot()
  })

  it('api-counts fallback', () => {
    const result = workspaceResult({
      model: model({
        source: 'api-counts',
        counts: { add: 3, change: 1, destroy: 0, import: 0, replace: 0, move: 0, forget: 0 },
        hasChanges: true,
        summaryLine: 'Plan: 3 to add, 1 to change, 0 to destroy.'
      }),
      detailsNote:
        'The JSON plan needs a user or team token with workspace admin access; showing the counts HCP Terraform reports.'
    })
    expect(snapshot([result])).toMatchSnapshot()
  })

  it('several workspaces', () => {
    expect(
      snapshot([mixedPlan(), workspaceResult({ workspace: 'stage' })], {
        marker: commentMarker('combined', 'infra'),
        label: 'infra'
      })
    ).toMatchSnapshot()
  })

  it('shortened to budget', () => {
    const result = workspaceResult({
      model: model({
        resources: [
          instance(1, 'update', 3_000),
          instance(2, 'create', 50),
          instance(3, 'delete', 50)
        ]
      })
    })
    const comment = snapshot([result], { maxLength: 3_000 })
    expect(comment.length).toBeLessThanOrEqual(3_000)
    expect(comment).toMatchSnapshot()
  })
})
