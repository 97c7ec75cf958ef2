// Slow tier: waiting a real minute for run tasks, policies and the cost estimate. The API request
// rate stays within HCP Terraform's budget (≤ 30 a minute per run) and the run's end is noticed
// soon (≤ 1.5 s in the median), with the default poll-interval.
import { describe, expect, it } from '@jest/globals'
import { fixture, useWorld } from './world.js'

const POST_PLAN_MS = 60_000
const RUNS = 4
/** Phases of the final status against the polls, spread evenly over one 2.25 s poll pause. */
const STAGGER_MS = 2250 / RUNS
const STEPS = [
  { plan: 'finished', run: 'post_plan_running' },
  { plan: 'finished', run: 'post_plan_running' },
  { plan: 'finished', run: 'cost_estimating' },
  { plan: 'finished', run: 'policy_checking' },
  { plan: 'finished', run: 'planned_and_finished' }
]

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** The most requests in any 60 s window. */
function busiestMinute(times: number[]): number {
  let most = 0
  for (const [i, start] of times.entries()) {
    most = Math.max(most, times.slice(i).filter(time => time < start + 60_000).length)
  }
  return most
}

describe('waiting a minute for the post-plan stages', () => {
  const world = useWorld()

  it('polls each run at most 30 times a minute and notices its end within 1.5 s (median)', async () => {
    const runs = Array.from({ length: RUNS }, (_, k) => {
      const advance = (POST_PLAN_MS + k * STAGGER_MS) / (STEPS.length - 1)
      const run = world().tfc.addRun({
        workspace: `ws-${k}`,
        planJson: fixture('plan-no-changes.json'),
        statuses: STEPS,
        advance,
        postPlan: { costEstimate: { prior: '1', proposed: '1', delta: '0' } }
      })
      return { run, finalAt: Date.now() + advance * (STEPS.length - 1) }
    })

    const step = await world().run(
      {
        'run-id': runs.map(({ run }) => run.id).join(','),
        'poll-interval': '3s',
        'wait-timeout': '3m'
      },
      { timeoutMs: 150_000 }
    )

    expect(step.code).toBe(0)
    expect(step.outputs['run-status']).toBe('planned_and_finished')
    const measured = runs.map(({ run, finalAt }) => {
      const polls = world()
        .tfc.requests.filter(req => req.path === `/api/v2/runs/${run.id}`)
        .map(req => req.at)
      const whileWaiting = polls.filter(at => at < finalAt)
      const noticedAt = polls.find(at => at >= finalAt)
      expect(noticedAt).toBeDefined()
      const minutes = (finalAt - whileWaiting[0]) / 60_000
      return {
        busiestMinute: busiestMinute(whileWaiting),
        perMinute: whileWaiting.length / minutes,
        latencyMs: (noticedAt ?? Infinity) - finalAt
      }
    })
    const latency = median(measured.map(m => m.latencyMs))
    // The figures, for the record of a slow-tier run.
    process.stdout.write(
      [
        `post-plan wait of ${POST_PLAN_MS / 1000} s, ${RUNS} runs, poll-interval 3s:`,
        ...measured.map(
          (m, i) =>
            `run ${i}: ${m.perMinute.toFixed(1)} requests/min, busiest 60 s window ${m.busiestMinute}, end noticed after ${m.latencyMs} ms`
        ),
        `median notification latency ${latency} ms\n`
      ].join('\n')
    )
    for (const m of measured) expect(m.busiestMinute).toBeLessThanOrEqual(30)
    expect(latency).toBeLessThanOrEqual(1500)
  }, 200_000)
})
