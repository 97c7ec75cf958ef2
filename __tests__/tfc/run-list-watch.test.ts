import { afterEach, describe, expect, it } from '@jest/globals'
import { createTfcClient } from '../../src/tfc/client.js'
import { watchRunList } from '../../src/tfc/run-list-watch.js'
import { isPlanOver } from '../../src/tfc/run-progress.js'
import { WaitTimeoutError } from '../../src/tfc/wait.js'
import { fakeClock } from '../helpers/fake-clock.js'
import { startRouteServer } from '../helpers/route-server.js'
import type { Reply, RouteServer } from '../helpers/route-server.js'

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'

interface Listed {
  runId: string
  workspace: string
  /** Run and plan status by list request (1-based); the last one holds. */
  statuses: [string, string | undefined][]
}

/** An organization run list of one commit, newest first, with the plans included. */
function runList(listed: Listed[], round: number): Reply {
  const data = listed.map(run => {
    const [runStatus] = run.statuses[Math.min(round, run.statuses.length) - 1]
    return {
      id: run.runId,
      type: 'runs',
      attributes: { status: runStatus },
      relationships: {
        workspace: { data: { id: `ws-${run.workspace}`, type: 'workspaces' } },
        plan: { data: { id: `plan-${run.runId}`, type: 'plans' } },
        'configuration-version': { data: { id: `cv-${run.runId}`, type: 'configuration-versions' } }
      }
    }
  })
  const included = listed.flatMap(run => {
    const [, planStatus] = run.statuses[Math.min(round, run.statuses.length) - 1]
    return [
      ...(planStatus
        ? [{ id: `plan-${run.runId}`, type: 'plans', attributes: { status: planStatus } }]
        : []),
      {
        id: `cv-${run.runId}`,
        type: 'configuration-versions',
        attributes: {},
        relationships: { 'ingress-attributes': { data: { id: `ia-${run.runId}`, type: 'x' } } }
      },
      { id: `ia-${run.runId}`, type: 'ingress-attributes', attributes: { 'commit-sha': SHA } }
    ]
  })
  return { status: 200, body: { data, included, meta: { pagination: { 'next-page': null } } } }
}

describe('watchRunList', () => {
  let server: RouteServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  async function watch(listed: Listed[] | 'missing', timeoutMs = 60_000) {
    let round = 0
    server = await startRouteServer({
      'GET /api/v2/organizations/acme/runs': () => {
        round++
        return listed === 'missing'
          ? { status: 404, body: { errors: [{ status: '404', title: 'not found' }] } }
          : runList(listed, round)
      }
    })
    const clock = fakeClock(1_700_000_000_000)
    const client = createTfcClient({ origin: server.origin, token: 'watch-test-token', clock })
    const runs = ['a', 'b'].map(name => ({
      workspace: name,
      workspaceId: `ws-${name}`,
      runId: `run-${name}`
    }))
    const opened: string[] = []
    const watching = watchRunList(client, {
      organization: 'acme',
      commitSha: SHA,
      runs,
      isOver: isPlanOver,
      timeoutMs,
      pollIntervalMs: 3000,
      clock,
      log: () => undefined
    })
    const settled = await Promise.allSettled(
      runs.map(async run => {
        await watching.mayBeOver(run.runId)
        opened.push(run.runId)
      })
    )
    return { settled, opened, rounds: () => round, clock }
  }

  it('hands each run on once the list shows its plan over, one list request a round', async () => {
    const { opened, rounds } = await watch([
      {
        runId: 'run-a',
        workspace: 'a',
        statuses: [
          ['planning', 'running'],
          ['planned_and_finished', 'finished']
        ]
      },
      {
        runId: 'run-b',
        workspace: 'b',
        statuses: [
          ['pending', 'pending'],
          ['planning', 'running'],
          ['planning', 'running'],
          ['errored', 'errored']
        ]
      }
    ])
    expect(opened).toEqual(['run-a', 'run-b'])
    expect(rounds()).toBe(4)
  })

  it('goes by the run status when the list does not include the plan', async () => {
    const { opened, rounds } = await watch([
      {
        runId: 'run-a',
        workspace: 'a',
        statuses: [
          ['planning', undefined],
          ['cost_estimating', undefined]
        ]
      },
      { runId: 'run-b', workspace: 'b', statuses: [['planned_and_finished', undefined]] }
    ])
    expect(opened).toEqual(['run-b', 'run-a'])
    expect(rounds()).toBe(2)
  })

  it('hands a run on at once when a newer run of the commit took its place in the list', async () => {
    const { opened, rounds } = await watch([
      { runId: 'run-a2', workspace: 'a', statuses: [['planning', 'running']] },
      {
        runId: 'run-b',
        workspace: 'b',
        statuses: [
          ['planning', 'running'],
          ['planned_and_finished', 'finished']
        ]
      }
    ])
    expect(opened).toEqual(['run-a', 'run-b'])
    expect(rounds()).toBe(2)
  })

  it('hands every run on where the server has no organization run list', async () => {
    const { opened, rounds } = await watch('missing')
    expect(opened).toEqual(['run-a', 'run-b'])
    expect(rounds()).toBe(1)
  })

  it('fails the runs still planning when the time is up, naming their last statuses', async () => {
    const { settled, clock } = await watch(
      [
        { runId: 'run-a', workspace: 'a', statuses: [['planning', 'running']] },
        { runId: 'run-b', workspace: 'b', statuses: [['planned_and_finished', 'finished']] }
      ],
      10_000
    )
    expect(settled[1].status).toBe('fulfilled')
    expect(settled[0].status).toBe('rejected')
    const error = (settled[0] as PromiseRejectedResult).reason as WaitTimeoutError
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.message).toContain('run-a')
    expect(error.lastRunStatus).toBe('planning')
    expect(error.lastPlanStatus).toBe('running')
    expect(clock.now() - 1_700_000_000_000).toBeGreaterThanOrEqual(10_000)
  })
})
