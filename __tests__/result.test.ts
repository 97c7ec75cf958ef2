import { describe, expect, it } from '@jest/globals'
import { workspaceDisplayName, workspaceKey } from '../src/result.js'
import { workspaceResult } from './fixtures/render-fixtures.js'

const ids = { runId: 'run-AbCdEf0123456789', planId: 'plan-AbCdEf0123456789' }

describe('workspaceKey', () => {
  it('is the workspace name alone, whatever the organization', () => {
    expect(workspaceKey(workspaceResult({ ...ids, organization: 'acme', workspace: 'prod' }))).toBe(
      'prod'
    )
  })

  it('falls back to the run ID, then to the plan ID', () => {
    const unnamed = workspaceResult({ ...ids, workspace: undefined })
    expect(workspaceKey(unnamed)).toBe(ids.runId)
    expect(workspaceKey({ ...unnamed, runId: undefined })).toBe(ids.planId)
  })
})

describe('workspaceDisplayName', () => {
  it('qualifies the workspace with its organization when it is known', () => {
    const named = workspaceResult({ ...ids, organization: 'acme', workspace: 'prod' })
    expect(workspaceDisplayName(named)).toBe('acme/prod')
    expect(workspaceDisplayName({ ...named, organization: undefined })).toBe('prod')
  })

  it('falls back to the run ID, then to the plan ID, like the key', () => {
    const unnamed = workspaceResult({ ...ids, workspace: undefined })
    expect(workspaceDisplayName(unnamed)).toBe(workspaceKey(unnamed))
    const planOnly = { ...unnamed, runId: undefined }
    expect(workspaceDisplayName(planOnly)).toBe(workspaceKey(planOnly))
  })
})
