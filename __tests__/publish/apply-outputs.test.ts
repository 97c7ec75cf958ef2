import { describe, expect, it } from '@jest/globals'
import { buildOutputs } from '../../src/publish/outputs.js'
import { workspaceResult } from '../fixtures/render-fixtures.js'
import { appliedResult } from '../fixtures/apply-fixtures.js'

describe('apply outputs', () => {
  it('are empty when the action did not wait for the apply', () => {
    const outputs = buildOutputs([workspaceResult()])
    expect(outputs).toMatchObject({
      'apply-status': '',
      'applied-add': '',
      'applied-change': '',
      'applied-destroy': '',
      'applied-import': '',
      'terraform-outputs': ''
    })
    expect(JSON.parse(outputs.results)[0].apply).toBeUndefined()
  })

  it('give one workspace’s status, counts and outputs, never a sensitive one', () => {
    const outputs = buildOutputs([appliedResult('prod', 'applied')])
    expect(outputs).toMatchObject({
      'apply-status': 'applied',
      'applied-add': '2',
      'applied-change': '1',
      'applied-destroy': '0',
      'applied-import': '0'
    })
    expect(JSON.parse(outputs['terraform-outputs'])).toEqual({
      endpoint: 'https://api.example.com'
    })
    expect(JSON.parse(outputs.results)[0].apply).toMatchObject({
      status: 'applied',
      outputs: [
        { name: 'endpoint', sensitive: false },
        { name: 'db_password', sensitive: true }
      ]
    })
    // The results name outputs; their values are in terraform-outputs only.
    expect(outputs.results).not.toContain('https://api.example.com')
  })

  it('give several workspaces the worst status, the sums and outputs keyed by workspace', () => {
    const outputs = buildOutputs([
      appliedResult('prod', 'applied'),
      appliedResult('staging', 'awaiting-confirmation', {
        counts: { add: 0, change: 0, destroy: 0, import: 0 }
      }),
      appliedResult('dev', 'discarded', { counts: { add: 0, change: 0, destroy: 3, import: 1 } })
    ])
    expect(outputs['apply-status']).toBe('discarded')
    expect(outputs['applied-destroy']).toBe('3')
    expect(outputs['applied-import']).toBe('1')
    expect(Object.keys(JSON.parse(outputs['terraform-outputs']))).toEqual([
      'prod',
      'staging',
      'dev'
    ])
    const errored = buildOutputs([appliedResult('a', 'applied'), appliedResult('b', 'errored')])
    expect(errored['apply-status']).toBe('errored')
  })
})
