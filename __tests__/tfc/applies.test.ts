import { afterEach, describe, expect, it } from '@jest/globals'
import { createTfcClient } from '../../src/tfc/client.js'
import { getApply, readApplyLog } from '../../src/tfc/applies.js'
import { reply, startRouteServer } from '../helpers/route-server.js'
import type { Route, RouteServer } from '../helpers/route-server.js'

const RUN_ID = 'run-CJ4dQ8dqqVk5L9Zx'
const APPLY_ID = 'apply-47MBvjwzBG8YKc2v'

let servers: RouteServer[] = []
afterEach(async () => {
  await Promise.all(servers.map(server => server.close()))
  servers = []
})

async function serve(routes: Record<string, Route>, host?: 'localhost') {
  const server = await startRouteServer(routes, host === undefined ? undefined : { hostname: host })
  servers.push(server)
  return server
}

const applyDocument = (attributes: Record<string, unknown>) => ({
  data: { id: APPLY_ID, type: 'applies', attributes }
})

describe('getApply', () => {
  it('reads the apply by its ID: status, counts and the log URL', async () => {
    const api = await serve({
      [`GET /api/v2/applies/${APPLY_ID}`]: reply.with(
        200,
        applyDocument({
          status: 'errored',
          'resource-additions': 1,
          'resource-changes': 0,
          'resource-destructions': 2,
          'resource-imports': null,
          'log-read-url': 'https://archivist.example/v1/object/secret'
        })
      )
    })
    const client = createTfcClient({ origin: api.origin, token: 't', maxRetries: 0 })
    expect(await getApply(client, { applyId: APPLY_ID, runId: RUN_ID })).toEqual({
      applyId: APPLY_ID,
      status: 'errored',
      counts: { add: 1, change: 0, destroy: 2, import: 0 },
      logReadUrl: 'https://archivist.example/v1/object/secret'
    })
  })

  it('asks the run for its apply when the run does not link it, and has no counts before it ran', async () => {
    const api = await serve({
      [`GET /api/v2/runs/${RUN_ID}/apply`]: reply.with(
        200,
        applyDocument({ status: 'pending', 'log-read-url': null })
      )
    })
    const client = createTfcClient({ origin: api.origin, token: 't', maxRetries: 0 })
    expect(await getApply(client, { runId: RUN_ID })).toEqual({
      applyId: APPLY_ID,
      status: 'pending',
      logReadUrl: undefined
    })
  })
})

describe('readApplyLog', () => {
  it('reads the log without the token and parses it', async () => {
    const archivist = await serve(
      {
        'GET /log': reply.with(
          200,
          'null_resource.a: Creation complete after 1s\nApply complete! Resources: 1 added, 0 changed, 0 destroyed.\n'
        )
      },
      'localhost'
    )
    const client = createTfcClient({
      origin: 'http://127.0.0.1:9',
      token: 'apply-token',
      maxRetries: 0
    })
    const log = await readApplyLog(client, `${archivist.origin}/log`)
    expect(log.counts).toEqual({ add: 1, change: 0, destroy: 0, import: 0 })
    expect(archivist.requests[0].headers.authorization).toBeUndefined()
  })
})
