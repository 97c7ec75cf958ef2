// What a reviewer of a big pull request asked for: the changes since the last push at the top,
// resources grouped by module, and values that must never appear masked wherever they are shown.
import { describe, expect, it } from '@jest/globals'
import { renderComment, renderSummary } from '../../src/render/report.js'
import type { RenderOptions } from '../../src/render/report.js'
import { createMasker, MASKED } from '../../src/util/mask.js'
import type { WorkspaceResult } from '../../src/result.js'
import { model, resource, workspaceResult } from '../fixtures/render-fixtures.js'
import { expectWellFormed, visibleText } from './checks.js'

const options = (overrides: Partial<RenderOptions> = {}): RenderOptions => ({
  details: true,
  maxLength: 65536,
  ...overrides
})

const inModule = (moduleAddress: string | undefined, name: string, action: 'create' | 'delete') =>
  resource(
    action,
    action === 'create'
      ? { before: null, after: { id: name } }
      : { before: { id: name }, after: null },
    {
      name,
      ...(moduleAddress !== undefined && { moduleAddress }),
      address: `${moduleAddress ? `${moduleAddress}.` : ''}aws_instance.${name}`
    }
  )

const withResources = (
  resources: ReturnType<typeof resource>[],
  extra: Partial<WorkspaceResult> = {}
) => workspaceResult({ model: model({ resources }), ...extra })

describe('since the last push', () => {
  const since = (comparison: WorkspaceResult['sinceLastPush']): string =>
    visibleText(renderComment([withResources([], { sinceLastPush: comparison })], options()))

  it('says the plan is the same as the earlier commit', () => {
    const text = since({
      previousCommit: '0123abcdef0123abcdef0123abcdef0123abcdef',
      previousRunId: 'run-old',
      previousPlanId: 'plan-old',
      comparison: { added: [], removed: [], replanned: [] }
    })
    expect(text).toContain('Since the last push: same plan as 0123abc.')
  })

  it('lists what is new, gone and planned differently, before the counts', () => {
    const markdown = renderComment(
      [
        withResources([], {
          sinceLastPush: {
            previousCommit: '0123abcdef0123abcdef0123abcdef0123abcdef',
            previousPlanId: 'plan-old',
            comparison: {
              added: [{ address: 'aws_instance.new', action: 'create' }],
              removed: [{ address: 'aws_instance.gone', action: 'delete' }],
              replanned: [
                {
                  address: 'aws_instance.web',
                  previousAction: 'update',
                  action: 'replace',
                  attributes: ['ami', 'tags']
                }
              ]
            }
          }
        })
      ],
      options()
    )
    expectWellFormed(markdown)
    const text = visibleText(markdown)
    expect(text).toContain(
      'Since the last push: 1 new, 1 no longer planned, 1 planned differently, compared with 0123abc.'
    )
    expect(text).toContain('new: aws_instance.new (create)')
    expect(text).toContain('no longer planned: aws_instance.gone (was delete)')
    expect(text).toContain('planned differently: aws_instance.web (replace, was update): ami, tags')
    expect(text.indexOf('Since the last push')).toBeLessThan(text.indexOf('Add'))
  })

  it('notes in one line that the previous plan could not be read', () => {
    const text = since({
      previousCommit: 'abcdef1234',
      previousRunId: 'run-gone',
      previousPlanId: 'plan-gone',
      unavailable: 'the run was deleted'
    })
    expect(text).toContain(
      'Since the last push: the plan shown for abcdef1 (run run-gone) could not be read: the run was deleted'
    )
  })
})

describe('group-by: module', () => {
  const resources = [
    inModule('module.network', 'a', 'create'),
    inModule(undefined, 'root1', 'create'),
    inModule('module.network', 'b', 'delete'),
    ...Array.from({ length: 11 }, (_, i) => inModule('module.big', `n${i}`, 'create'))
  ]

  it('puts each module under its path with its own counts, the root module first', () => {
    const markdown = renderComment([withResources(resources)], options({ groupBy: 'module' }))
    expectWellFormed(markdown)
    const text = visibleText(markdown)
    expect(text).toContain('Resource changes by module')
    expect(text).toContain('📦 root module (1) · 1 to add, 0 to change, 0 to destroy')
    expect(text).toContain('📦 module.network (2) · 1 to add, 0 to change, 1 to destroy')
    expect(text).toContain('📦 module.big (11) · 11 to add, 0 to change, 0 to destroy')
    const order = ['root module', 'module.big', 'module.network'].map(name =>
      text.indexOf(`📦 ${name}`)
    )
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(text).not.toContain('➕ Create')
  })

  it('folds a large module and leaves small ones open', () => {
    const markdown = renderComment([withResources(resources)], options({ groupBy: 'module' }))
    expect(markdown).toMatch(/<details><summary>📦 <code>module\.big<\/code>/)
    expect(markdown).not.toMatch(/<details><summary>📦 <code>module\.network/)
  })

  it('groups by action by default', () => {
    const text = visibleText(renderComment([withResources(resources)], options()))
    expect(text).toContain('➕ Create (13)')
    expect(text).not.toContain('📦')
  })
})

describe('mask', () => {
  const SECRET = 'tok-8f3a9c2e'
  const leaky = (): WorkspaceResult =>
    workspaceResult({
      model: model({
        resources: [
          resource(
            'update',
            {
              before: { token: 'old', note: `uses ${SECRET}` },
              after: { token: SECRET, note: 'x' }
            },
            { name: 'web' }
          )
        ]
      }),
      diagnostics: [
        { severity: 'warning', summary: `token ${SECRET} is deprecated`, detail: SECRET }
      ],
      // Cut in the middle to 10,000 characters, right through the secret.
      warnings: [`${'w'.repeat(4995)}${SECRET}${'w'.repeat(6000)}`]
    })

  it('replaces every match in diffs, diagnostics and warnings, and remembers the values', () => {
    const masker = createMasker([/tok-[0-9a-f]{8}/g])
    const comment = renderComment([leaky()], options({ masker }))
    const summary = renderSummary([leaky()], options({ masker, maxLength: 1_000_000 }))
    for (const document of [comment, summary]) {
      expect(document).not.toContain(SECRET)
      expect(document).not.toContain('tok-')
      expect(document).toContain(MASKED)
    }
    expect([...masker.found]).toEqual([SECRET])
  })

  it('masks link targets too', () => {
    const masker = createMasker([/tok-[0-9a-f]{8}/g])
    const result = workspaceResult({ runUrl: `https://app.example.com/runs/${SECRET}` })
    const comment = renderComment([result], options({ masker }))
    expect(comment).not.toContain(SECRET)
    expect(comment).toContain('href="https://app.example.com/runs/%28masked%29"')
  })

  it('leaves text alone without a mask, even after a masked rendering', () => {
    renderComment([leaky()], options({ masker: createMasker([/tok-[0-9a-f]{8}/g]) }))
    expect(renderComment([leaky()], options())).toContain(SECRET)
  })
})
