// Slow tier: finding runs while HCP Terraform's run-list limit (30 a minute) is in force, which
// takes a real minute-long window to show.
import { describe, expect, it } from '@jest/globals'
import { HEAD_SHA } from '../../test/sim/runner.mjs'
import { busiestMinute, listRequests } from './run-lists.js'
import { fixture, useWorld } from './world.js'

const CREATE = fixture('plan-create.json')

describe('the run-list rate limit', () => {
  const world = useWorld({ listRateLimit: true })

  it('stays under 30 run-list requests a minute while waiting for several workspaces', async () => {
    const { tfc } = world()
    const names = ['svc-a', 'svc-b', 'svc-c', 'svc-d']
    for (const name of names) tfc.addWorkspace({ name, organization: 'acme' })
    const step = world().run(
      { organization: 'acme', workspace: names.join(','), 'wait-timeout': '100s' },
      { timeoutMs: 110_000 }
    )
    // Enough waiting for the four to want more than 30 list requests in their first minute.
    await new Promise(resolve => setTimeout(resolve, 12_000))
    for (const name of names) {
      tfc.addRun({ workspace: name, planJson: CREATE, commitSha: HEAD_SHA })
    }

    const result = await step
    expect(result.code).toBe(0)
    expect(result.outputs.workspace).toBe(names.join(','))
    expect(busiestMinute(tfc.requests)).toBeLessThanOrEqual(30)
    expect(listRequests(tfc.requests).length).toBeGreaterThan(10)
  }, 120_000)
})
