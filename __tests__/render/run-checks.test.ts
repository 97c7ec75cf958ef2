import { describe, expect, it } from '@jest/globals'
import { commentMarker, renderComment, renderSummary } from '../../src/render/report.js'
import { costLine } from '../../src/render/run-checks.js'
import type { RunChecks } from '../../src/run/checks.js'
import { model, workspaceResult } from '../fixtures/render-fixtures.js'
import { expectWellFormed, proseOf, visibleText } from './checks.js'

const HOSTILE =
  '<img src=x onerror=alert(1)> @admins #42 ```\n</details><!-- tfc-plan-summary:x: -->'

function checks(parts: Partial<RunChecks> = {}): RunChecks {
  return { runStatus: 'errored', taskResults: [], policySets: [], notes: [], ...parts }
}

const render = (runChecks: RunChecks, maxLength = 65_536) =>
  renderComment(
    [workspaceResult({ model: model(), checks: runChecks, runStatus: runChecks.runStatus })],
    {
      marker: commentMarker('prod', ''),
      details: true,
      maxLength
    }
  )

describe('the run checks in a comment', () => {
  it('keeps policy output and task messages from others inert, wherever they appear', () => {
    const comment = render(
      checks({
        policySets: [
          {
            name: HOSTILE,
            kind: 'opa',
            status: 'failed',
            overridden: false,
            error: HOSTILE,
            outcomes: [
              {
                name: HOSTILE,
                status: 'failed',
                enforcement: 'mandatory',
                description: HOSTILE,
                output: HOSTILE
              }
            ]
          }
        ],
        taskResults: [
          {
            name: HOSTILE,
            stage: 'post_plan',
            status: 'failed',
            enforcement: 'advisory',
            message: HOSTILE,
            url: 'javascript:alert(1)'
          }
        ],
        notes: [HOSTILE]
      })
    )
    expectWellFormed(comment)
    expect(comment.match(/<!-- tfc-plan-summary/g)).toHaveLength(1)
    const prose = proseOf(comment)
    expect(prose).not.toMatch(/<img|@admins|#42|javascript:/)
    expect(visibleText(comment)).toContain('<img src=x onerror=alert(1)>')
  })

  it('shows not-run tasks of a run that ended, and the run status in words', () => {
    const comment = visibleText(
      render(
        checks({
          runStatus: 'pre_plan_awaiting_decision',
          taskResults: [
            { name: 'guard', stage: 'pre_plan', status: 'failed', enforcement: 'mandatory' },
            { name: 'later', stage: 'post_plan', status: 'pending', enforcement: 'mandatory' }
          ]
        })
      )
    )
    expect(comment).toContain('a pre-plan run task failed: the run awaits an override')
    expect(comment).toContain('guard | pre-plan | ❌ failed | mandatory')
    expect(comment).toContain('later | post-plan | ⏸️ not run | mandatory')
  })

  it('fits a tight budget by dropping policy outputs before policy names', () => {
    const outcomes = Array.from({ length: 40 }, (_, i) => ({
      name: `policy-${i}`,
      status: 'failed',
      enforcement: 'mandatory',
      output: 'x'.repeat(3000)
    }))
    const runChecks = checks({
      policySets: [
        { name: 'set', kind: 'sentinel', status: 'hard_failed', overridden: false, outcomes }
      ]
    })
    const comment = render(runChecks, 20_000)
    expect(comment.length).toBeLessThanOrEqual(20_000)
    // Only as many outputs give way as must; every failed policy stays named.
    const outputsKept = comment.split('x'.repeat(3000)).length - 1
    expect(outputsKept).toBeGreaterThan(0)
    expect(outputsKept).toBeLessThan(40)
    for (let i = 0; i < 40; i++) expect(comment).toContain(`<code>policy-${i}</code>`)
    const summary = renderSummary([workspaceResult({ model: model(), checks: runChecks })], {
      details: true,
      maxLength: 1_000_000
    })
    expect(summary).toContain('x'.repeat(3000))
  })
})

describe('costLine', () => {
  it.each([
    [
      {
        status: 'finished',
        priorMonthly: '10',
        proposedMonthly: '7.5',
        deltaMonthly: '-2.5',
        matched: 1,
        unmatched: 0
      },
      '10 → 7.5 USD a month (-2.5) · 1 resources matched, 0 unmatched'
    ],
    [
      { status: 'finished', priorMonthly: '0', proposedMonthly: '0', deltaMonthly: '0.00' },
      '0 → 0 USD a month (+0.00)'
    ],
    [{ status: 'skipped_due_to_targeting' }, 'skipped due to targeting'],
    [
      { status: 'errored', errorMessage: 'pricing API unreachable' },
      'errored: pricing API unreachable'
    ]
  ])('%j', (cost, text) => {
    expect(visibleText(costLine(cost))).toContain(text)
  })
})
