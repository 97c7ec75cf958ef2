import { describe, expect, it } from '@jest/globals'
import { evaluateGates } from '../../src/gates/evaluate.js'
import { modelFromApiCounts } from '../../src/plan/model.js'
import type { ApplyOutcome, ApplyReport } from '../../src/run/apply.js'
import { finalApplyOutcome, isUnapplied, pausedApplyOutcome } from '../../src/run/apply.js'
import { isApplyOver } from '../../src/tfc/run-progress.js'

const MODEL = modelFromApiCounts({ add: 1, change: 0, destroy: 0, import: 0 }, true)

function report(outcome: ApplyOutcome, extra: Partial<ApplyReport> = {}): ApplyReport {
  return {
    outcome,
    runStatus: 'x',
    counts: { add: 0, change: 0, destroy: 0, import: 0 },
    resources: [],
    diagnostics: [],
    outputs: [],
    ...extra
  }
}

describe('the apply outcome of a run status', () => {
  it.each([
    ['applied', 'applied'],
    ['errored', 'errored'],
    ['discarded', 'discarded'],
    ['force_canceled', 'canceled'],
    ['planned_and_finished', 'nothing-to-apply']
  ])('%s ends the wait as %s', (status, outcome) => {
    expect(finalApplyOutcome(status)).toBe(outcome)
    expect(isApplyOver({ planStatus: 'finished', runStatus: status })).toBe(true)
  })

  it.each([
    ['planned', 'awaiting-confirmation'],
    ['cost_estimated', 'awaiting-confirmation'],
    ['policy_checked', 'awaiting-confirmation'],
    ['policy_override', 'awaiting-override']
  ])('%s keeps waiting, and is reported as %s when the wait ends', (status, outcome) => {
    expect(isApplyOver({ planStatus: 'finished', runStatus: status })).toBe(false)
    expect(pausedApplyOutcome(status)).toBe(outcome)
  })

  it.each(['confirmed', 'apply_queued', 'applying', 'post_apply_running'])(
    '%s keeps waiting',
    status => {
      expect(isApplyOver({ planStatus: 'finished', runStatus: status })).toBe(false)
      expect(pausedApplyOutcome(status)).toBeUndefined()
    }
  )

  it('a run stopped before planning is over', () => {
    expect(isApplyOver({ planStatus: 'pending', runStatus: 'canceled' })).toBe(true)
  })
})

describe('apply gates', () => {
  it('errored trips on an errored apply and names the failed resources and diagnostics', () => {
    const errored = report('errored', {
      resources: [
        { address: 'a.done', action: 'create', outcome: 'complete' },
        { address: 'a.failed', action: 'update', outcome: 'errored' }
      ],
      diagnostics: [{ severity: 'error', summary: 'boom' }]
    })
    expect(evaluateGates(MODEL, 'finished', ['errored'], [], { apply: errored })).toEqual([
      {
        condition: 'errored',
        message: 'The apply errored: a.failed (boom)',
        addresses: ['a.failed']
      }
    ])
    expect(evaluateGates(MODEL, 'finished', ['errored'], [], { apply: report('applied') })).toEqual(
      []
    )
  })

  it.each(['discarded', 'canceled', 'awaiting-confirmation', 'awaiting-override'] as const)(
    'unapplied trips on %s',
    outcome => {
      expect(isUnapplied(outcome)).toBe(true)
      const [trip] = evaluateGates(MODEL, 'finished', ['unapplied'], [], {
        apply: report(outcome)
      })
      expect(trip).toMatchObject({ condition: 'unapplied' })
      expect(trip.message).toMatch(/^Nothing was applied: /)
    }
  )

  it.each(['applied', 'nothing-to-apply', 'errored'] as const)(
    'unapplied leaves %s alone',
    outcome => {
      expect(
        evaluateGates(MODEL, 'finished', ['unapplied'], [], { apply: report(outcome) })
      ).toEqual([])
    }
  )

  it('unapplied trips nothing without an apply report', () => {
    expect(evaluateGates(MODEL, 'finished', ['unapplied'], [])).toEqual([])
  })
})
