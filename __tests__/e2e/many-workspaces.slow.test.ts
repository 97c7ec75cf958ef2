// Slow tier: a monorepo's pull request against 100 VCS-driven workspaces, matched by `svc-*`, whose
// speculative plans finish within 30 s, with HCP Terraform's limits in force (30 requests a
// second per user, run lists 30 a minute). The scenario prints its figures; it asserts what must
// hold whatever the machine: every run found, no request refused with 429, one combined comment.
import { describe, expect, it } from '@jest/globals'
import { HEAD_SHA } from '../../test/sim/runner.mjs'
import type { RecordedRequest } from '../../test/sim/tfc.mjs'
import { isRunList } from './run-lists.js'
import { fixture, useWorld } from './world.js'

const WORKSPACES = 100
const FIRST_PLAN_DONE_MS = 5_000
const LAST_PLAN_DONE_MS = 30_000
/** Pending, planning, finished: each step lasts half the time to the plan's end. */
const STATUSES = ['pending', 'running', 'finished']

/** The most requests that arrived within any one second. */
function busiestSecond(requests: RecordedRequest[]): number {
  const times = requests.map(request => request.at).sort((a, b) => a - b)
  let most = 0
  let first = 0
  for (const [last, time] of times.entries()) {
    while (times[first] <= time - 1000) first++
    most = Math.max(most, last - first + 1)
  }
  return most
}

describe('100 workspaces at HCP Terraform rate limits', () => {
  const world = useWorld({ listRateLimit: true, requestRateLimit: true })

  it('finds every run, provokes no 429 and writes one combined comment', async () => {
    const { tfc } = world()
    const names = Array.from({ length: WORKSPACES }, (_, k) => `svc-${String(k).padStart(3, '0')}`)
    const started = Date.now()
    const runs = names.map((name, k) => {
      const doneAfterMs =
        FIRST_PLAN_DONE_MS + ((LAST_PLAN_DONE_MS - FIRST_PLAN_DONE_MS) * k) / (WORKSPACES - 1)
      const run = tfc.addRun({
        workspace: name,
        organization: 'acme',
        planJson: fixture(k % 2 === 0 ? 'plan-changes.json' : 'plan-create.json'),
        commitSha: HEAD_SHA,
        statuses: STATUSES,
        advance: doneAfterMs / (STATUSES.length - 1)
      })
      return { run, doneAt: run.addedAt + doneAfterMs }
    })

    const result = await world().run(
      {
        organization: 'acme',
        workspace: 'svc-*',
        'comment-mode': 'combined',
        'poll-interval': '3s',
        'wait-timeout': '10m'
      },
      { timeoutMs: 420_000 }
    )
    const stepDone = Date.now()

    const api = tfc.requests.filter(request => request.origin === tfc.url)
    const lastPlanDone = Math.max(...runs.map(({ doneAt }) => doneAt))
    const figures = {
      'plans done after': `${((lastPlanDone - started) / 1000).toFixed(1)} s`,
      'step done after': `${((stepDone - started) / 1000).toFixed(1)} s`,
      'step done after the last plan': `${((stepDone - lastPlanDone) / 1000).toFixed(1)} s`,
      'API requests': api.length,
      'run-list requests': api.filter(isRunList).length,
      'most in one second': busiestSecond(api),
      'answered 429': api.filter(request => request.status === 429).length,
      'step result':
        result.code === 0 ? 'success' : `failed: ${result.annotations.errors.join('; ')}`
    }
    process.stdout.write(
      `${WORKSPACES} workspaces:\n${Object.entries(figures)
        .map(([name, value]) => `  ${name}: ${value}`)
        .join('\n')}\n`
    )

    expect(result.code).toBe(0)
    expect(result.outputs.workspace?.split(',')).toEqual(names)
    const reported = (JSON.parse(result.outputs.results) as { runId: string }[]).map(r => r.runId)
    expect(reported).toEqual(runs.map(({ run }) => run.id))
    expect(figures['answered 429']).toBe(0)
    const comments = world().prComments()
    expect(comments).toHaveLength(1)
    for (const name of names) expect(comments[0].body).toContain(name)
  }, 450_000)
})
