import { afterEach, describe, expect, it } from '@jest/globals'
import { createTfcClient } from '../../src/tfc/client.js'
import { TfcApiError } from '../../src/tfc/errors.js'
import { getPlan, getRun, toExecutionDetails } from '../../src/tfc/runs.js'
import { reply, startRouteServer } from '../helpers/route-server.js'
import type { Route, RouteServer } from '../helpers/route-server.js'

const RUN_ID = 'run-CJ4dQ8dqqVk5L9Zx'
const PLAN_ID = 'plan-8Fh2ZsdLSxW2Ch5B'
const WS_ID = 'ws-Tq7aNf1KVb3Z9sUu'
const LOG_URL = 'https://archivist.example/v1/object/secret-log-token'

const runResource = (relationships: Record<string, unknown> = {}) => ({
  id: RUN_ID,
  type: 'runs',
  attributes: { status: 'post_plan_running', 'plan-only': true },
  relationships: {
    plan: { data: { id: PLAN_ID, type: 'plans' } },
    workspace: { data: { id: WS_ID, type: 'workspaces' } },
    ...relationships
  }
})

const planResource = (relationships: Record<string, unknown> = {}) => ({
  id: PLAN_ID,
  type: 'plans',
  attributes: {
    status: 'finished',
    'has-changes': true,
    'resource-additions': 2,
    'resource-changes': 1,
    'resource-destructions': 0,
    'resource-imports': null,
    'status-timestamps': {
      'queued-at': '2024-05-01T12:00:00+00:00',
      'started-at': '2024-05-01T12:00:05+00:00',
      'finished-at': '2024-05-01T12:00:40+00:00'
    },
    'execution-details': {
      mode: 'agent',
      'agent-id': 'agent-1',
      'agent-name': 'runner-7',
      'agent-pool-id': 'apool-1',
      'agent-pool-name': 'private'
    },
    'log-read-url': LOG_URL,
    'structured-run-output-enabled': true
  },
  relationships: { 'state-versions': { data: [] }, exports: { data: [] }, ...relationships },
  links: {
    self: `/api/v2/plans/${PLAN_ID}`,
    'json-output': `/api/v2/plans/${PLAN_ID}/json-output`,
    'json-output-redacted': `/api/v2/plans/${PLAN_ID}/json-output-redacted`
  }
})

const workspaceResource = {
  id: WS_ID,
  type: 'workspaces',
  attributes: { name: 'networking-prod' },
  relationships: { organization: { data: { id: 'acme-corp', type: 'organizations' } } },
  links: { 'self-html': '/app/acme-corp/workspaces/networking-prod' }
}

const expectedPlanPart = {
  planId: PLAN_ID,
  planStatus: 'finished',
  plan: {
    hasChanges: true,
    resourceAdditions: 2,
    resourceChanges: 1,
    resourceDestructions: 0,
    statusTimestamps: {
      'queued-at': '2024-05-01T12:00:00+00:00',
      'started-at': '2024-05-01T12:00:05+00:00',
      'finished-at': '2024-05-01T12:00:40+00:00'
    },
    logReadUrl: LOG_URL,
    links: {
      jsonOutput: `/api/v2/plans/${PLAN_ID}/json-output`,
      jsonOutputRedacted: `/api/v2/plans/${PLAN_ID}/json-output-redacted`
    }
  },
  execution: {
    mode: 'agent',
    agentId: 'agent-1',
    agentName: 'runner-7',
    agentPoolId: 'apool-1',
    agentPoolName: 'private'
  }
}

let api: RouteServer | undefined

async function serve(routes: Record<string, Route>) {
  api = await startRouteServer(routes)
  const client = createTfcClient({ origin: api.origin, token: 'runs-test-token', maxRetries: 0 })
  return { server: api, client }
}

afterEach(async () => {
  await api?.close()
  api = undefined
})

describe('getRun', () => {
  it('reads run, plan and workspace from one request with included resources', async () => {
    const { server, client } = await serve({
      [`GET /api/v2/runs/${RUN_ID}`]: reply.with(200, {
        data: runResource(),
        included: [planResource(), workspaceResource]
      })
    })
    const snapshot = await getRun(client, RUN_ID)
    expect(snapshot).toEqual({
      ...expectedPlanPart,
      runId: RUN_ID,
      runStatus: 'post_plan_running',
      planOnly: true,
      confirmable: false,
      workspaceId: WS_ID,
      workspaceName: 'networking-prod',
      organization: 'acme-corp',
      runUrl: `${server.origin}/app/acme-corp/networking-prod/runs/${RUN_ID}`
    })
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0].query.get('include')).toBe('plan,workspace')
  })

  it('fetches the plan and the workspace when the answer has no included resources', async () => {
    const { server, client } = await serve({
      [`GET /api/v2/runs/${RUN_ID}`]: reply.with(200, { data: runResource() }),
      [`GET /api/v2/plans/${PLAN_ID}`]: reply.with(200, { data: planResource() }),
      [`GET /api/v2/workspaces/${WS_ID}`]: reply.with(200, { data: workspaceResource })
    })
    const snapshot = await getRun(client, RUN_ID)
    expect(snapshot).toMatchObject({
      ...expectedPlanPart,
      workspaceName: 'networking-prod',
      organization: 'acme-corp',
      runUrl: `${server.origin}/app/acme-corp/networking-prod/runs/${RUN_ID}`
    })
    expect(server.requests.map(r => r.path).sort()).toEqual([
      `/api/v2/plans/${PLAN_ID}`,
      `/api/v2/runs/${RUN_ID}`,
      `/api/v2/workspaces/${WS_ID}`
    ])
  })

  it('reads a plan that has not started: no counts, no execution details yet', async () => {
    const pending = {
      id: PLAN_ID,
      type: 'plans',
      attributes: {
        status: 'pending',
        'has-changes': null,
        'resource-additions': null,
        'status-timestamps': {},
        'execution-details': null
      }
    }
    const { client } = await serve({
      [`GET /api/v2/runs/${RUN_ID}`]: reply.with(200, {
        data: { ...runResource(), attributes: { status: 'plan_queued' } },
        included: [pending, workspaceResource]
      })
    })
    const snapshot = await getRun(client, RUN_ID)
    expect(snapshot.planStatus).toBe('pending')
    expect(snapshot.runStatus).toBe('plan_queued')
    expect(snapshot.plan.hasChanges).toBeUndefined()
    expect(snapshot.plan.resourceAdditions).toBeUndefined()
    expect(snapshot.execution).toBeUndefined()
  })

  it('explains a run without a plan', async () => {
    const { client } = await serve({
      [`GET /api/v2/runs/${RUN_ID}`]: reply.with(200, {
        data: { ...runResource(), relationships: { plan: { data: null } } }
      })
    })
    await expect(getRun(client, RUN_ID)).rejects.toThrow(`Run ${RUN_ID} has no plan`)
  })

  it('passes on the API error for an unknown run', async () => {
    const { client } = await serve({})
    const error = await getRun(client, RUN_ID).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TfcApiError)
    expect((error as TfcApiError).status).toBe(404)
  })
})

describe('getPlan', () => {
  it('reads a plan alone when it links neither run nor workspace (HCP Terraform)', async () => {
    const { server, client } = await serve({
      [`GET /api/v2/plans/${PLAN_ID}`]: reply.with(200, { data: planResource() })
    })
    const snapshot = await getPlan(client, PLAN_ID)
    expect(snapshot).toEqual(expectedPlanPart)
    expect(snapshot.runId).toBeUndefined()
    expect(server.requests).toHaveLength(1)
  })

  it('reads the run when the plan links it', async () => {
    const { client } = await serve({
      [`GET /api/v2/plans/${PLAN_ID}`]: reply.with(200, {
        data: planResource({ run: { data: { id: RUN_ID, type: 'runs' } } })
      }),
      [`GET /api/v2/runs/${RUN_ID}`]: reply.with(200, {
        data: runResource(),
        included: [planResource(), workspaceResource]
      })
    })
    const snapshot = await getPlan(client, PLAN_ID)
    expect(snapshot).toMatchObject({ runId: RUN_ID, workspaceName: 'networking-prod' })
    expect(snapshot.runUrl).toMatch(new RegExp(`/app/acme-corp/networking-prod/runs/${RUN_ID}$`))
  })

  it('reads the workspace when the plan links only that', async () => {
    const { client } = await serve({
      [`GET /api/v2/plans/${PLAN_ID}`]: reply.with(200, {
        data: planResource({ workspace: { data: { id: WS_ID, type: 'workspaces' } } })
      }),
      [`GET /api/v2/workspaces/${WS_ID}`]: reply.with(200, { data: workspaceResource })
    })
    const snapshot = await getPlan(client, PLAN_ID)
    expect(snapshot).toMatchObject({ workspaceName: 'networking-prod', organization: 'acme-corp' })
    expect(snapshot.runUrl).toBeUndefined()
  })

  it('rejects an answer without a resource', async () => {
    const { client } = await serve({
      [`GET /api/v2/plans/${PLAN_ID}`]: reply.with(200, { data: [] })
    })
    await expect(getPlan(client, PLAN_ID)).rejects.toThrow(/no resource in "data"/)
  })
})

describe('toExecutionDetails', () => {
  it('maps remote execution and ignores null details', () => {
    expect(toExecutionDetails({ mode: 'remote' })).toEqual({ mode: 'remote' })
    expect(toExecutionDetails(null)).toBeUndefined()
    expect(toExecutionDetails({})).toBeUndefined()
  })
})
