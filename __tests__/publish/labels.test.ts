import { describe, expect, it } from '@jest/globals'
import { planLabels } from '../../src/publish/labels.js'
import { model, resource, workspaceResult } from '../fixtures/render-fixtures.js'
import type { RunChecks } from '../../src/run/checks.js'

const failedPolicy = (enforcement: string): RunChecks => ({
  runStatus: 'errored',
  taskResults: [],
  notes: [],
  policySets: [
    {
      name: 'guardrails',
      kind: 'opa',
      status: 'failed',
      overridden: false,
      outcomes: [{ name: 'deny', status: 'failed', enforcement }]
    }
  ]
})

describe('planLabels', () => {
  it('says no-changes only when every workspace finished without changes', () => {
    expect(planLabels([workspaceResult()])).toEqual(['no-changes'])
    expect(planLabels([workspaceResult(), workspaceResult({ status: 'errored' })])).toEqual([
      'errored'
    ])
    expect(planLabels([])).toEqual([])
  })

  it('takes the union of what several workspaces do', () => {
    const destroy = workspaceResult({ model: model({ resources: [resource('delete')] }) })
    const replace = workspaceResult({ model: model({ resources: [resource('replace')] }) })
    expect(planLabels([destroy, replace])).toEqual(['changes', 'destroy', 'replace'])
  })

  it('marks drift, failed policies and waived gates', () => {
    const drifted = workspaceResult({
      model: model({ drift: [resource('update')] }),
      checks: failedPolicy('mandatory'),
      waived: [
        {
          condition: 'destroy',
          message: 'x',
          addresses: [],
          waiver: { by: 'alice', how: 'approval', commit: 'a'.repeat(40) }
        }
      ]
    })
    expect(planLabels([drifted])).toEqual(['no-changes', 'drift', 'policy-failed', 'overridden'])
  })

  it('does not call a failed advisory policy a failed policy', () => {
    expect(planLabels([workspaceResult({ checks: failedPolicy('advisory') })])).not.toContain(
      'policy-failed'
    )
  })
})
