import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTfcClient } from '../../src/tfc/client.js'
import {
  downloadJsonPlan,
  JsonDownloadCheck,
  readRedactedPlanTail
} from '../../src/tfc/json-plan.js'
import type { JsonPlanOptions } from '../../src/tfc/json-plan.js'
import { reply, startRouteServer } from '../helpers/route-server.js'
import type { Handler, Route, RouteServer } from '../helpers/route-server.js'
import { captureStdout } from '../helpers/capture-stdout.js'
import { fakeClock } from '../helpers/fake-clock.js'
import type { FakeClock } from '../helpers/fake-clock.js'

const PLAN_ID = 'plan-Zr4mK2qWc8Tn5Hbx'
const JSON_OUTPUT = `/api/v2/plans/${PLAN_ID}/json-output`
const REDACTED_OUTPUT = `/api/v2/plans/${PLAN_ID}/json-output-redacted`

/** A plan in the `terraform show -json` format, large enough to arrive in many chunks. */
const PLAN = {
  format_version: '1.2',
  terraform_version: '1.9.5',
  resource_changes: Array.from({ length: 2000 }, (_, i) => ({
    address: `null_resource.item[${i}]`,
    mode: 'managed',
    type: 'null_resource',
    name: 'item',
    index: i,
    change: { actions: ['create'], before: null, after: { triggers: { n: String(i) } } }
  })),
  errored: false
}
const PLAN_TEXT = JSON.stringify(PLAN, null, 1)

const REDACTED = {
  plan_format_version: '1.2',
  resource_changes: [{ address: 'null_resource.a', change: { actions: ['create'] } }],
  resource_drift: [],
  output_changes: {},
  relevant_attributes: [],
  provider_format_version: '1.0',
  provider_schemas: {}
}

let servers: RouteServer[] = []
let destDir: string
let clock: FakeClock
let stdout: string[]

beforeEach(async () => {
  destDir = await mkdtemp(join(tmpdir(), 'json-plan-test-'))
  clock = fakeClock()
  stdout = captureStdout()
})

afterEach(async () => {
  jest.restoreAllMocks()
  await Promise.all(servers.map(server => server.close()))
  servers = []
  await rm(destDir, { recursive: true, force: true })
})

/** The temporary-URL host: another host name than the API, refusing any Authorization header. */
async function startArchivist(routes: Record<string, Route>) {
  const guarded = Object.fromEntries(
    Object.entries(routes).map(([key, route]) => {
      const handlers = Array.isArray(route) ? route : [route]
      const refuseAuth =
        (handler: Handler): Handler =>
        (request, params, response) =>
          request.headers.authorization !== undefined
            ? { status: 400, body: 'Only one auth mechanism allowed' }
            : handler(request, params, response)
      return [key, handlers.map(refuseAuth)]
    })
  )
  const archivist = await startRouteServer(guarded, { hostname: 'localhost' })
  servers.push(archivist)
  return archivist
}

async function startApi(routes: Record<string, Route>) {
  const api = await startRouteServer(routes)
  servers.push(api)
  const client = createTfcClient({
    origin: api.origin,
    token: 'json-plan-test-token',
    clock: fakeClock()
  })
  return { api, client }
}

function options(extra: Partial<JsonPlanOptions> = {}): JsonPlanOptions {
  return {
    destDir,
    clock,
    ...extra
  }
}

/** Sends the first half of the body, then drops the connection although Content-Length promised more. */
const truncatedBody: Handler = (_request, _params, response) => {
  response.writeHead(200, { 'Content-Length': String(Buffer.byteLength(PLAN_TEXT)) })
  response.write(PLAN_TEXT.slice(0, PLAN_TEXT.length / 2), () => response.socket?.destroy())
}

/** A complete HTTP answer (chunked, no length) whose JSON stops in the middle. */
const cutJson: Handler = (_request, _params, response) => {
  response.writeHead(200, { 'Content-Type': 'application/json' })
  response.end(PLAN_TEXT.slice(0, 5000))
}

const servePlan: Handler = () => ({ status: 200, body: PLAN_TEXT })

async function savedFiles(): Promise<string[]> {
  return (await readdir(destDir)).sort()
}

describe('downloadJsonPlan: full JSON', () => {
  it('asks again while the API answers 204, then follows the redirect to another host without the token', async () => {
    const archivist = await startArchivist({ 'GET /v1/object/:key': servePlan })
    const { api, client } = await startApi({
      [`GET ${JSON_OUTPUT}`]: [
        reply.with(204),
        reply.with(204),
        reply.redirect(`${archivist.origin}/v1/object/secret-key?sig=SECRET-SIGNATURE`)
      ]
    })
    const result = await downloadJsonPlan(client, { planId: PLAN_ID }, options())

    const path = join(destDir, `${PLAN_ID}.json`)
    expect(result).toEqual({ kind: 'json', path, bytes: Buffer.byteLength(PLAN_TEXT) })
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(PLAN)
    expect(await savedFiles()).toEqual([`${PLAN_ID}.json`])
    expect(api.requestsTo(JSON_OUTPUT)).toHaveLength(3)
    expect(clock.sleeps).toEqual([1000, 1000])
    expect(archivist.requests).toHaveLength(1)
    expect(archivist.requests[0].headers.authorization).toBeUndefined()
    // The temporary URL is only ever named to be masked.
    const logged = stdout.filter(line => !line.startsWith('::add-mask::')).join('')
    expect(logged).not.toContain('SECRET-SIGNATURE')
    expect(stdout.join('')).toContain('::add-mask::')
  })

  it('asks for a new URL when the temporary one has expired', async () => {
    const archivist = await startArchivist({
      'GET /v1/object/old': reply.with(410, 'expired'),
      'GET /v1/object/new': servePlan
    })
    const { api, client } = await startApi({
      [`GET ${JSON_OUTPUT}`]: [
        reply.redirect(`${archivist.origin}/v1/object/old`),
        reply.redirect(`${archivist.origin}/v1/object/new`)
      ]
    })
    const result = await downloadJsonPlan(client, { planId: PLAN_ID }, options())
    expect(result.kind).toBe('json')
    expect(api.requestsTo(JSON_OUTPUT)).toHaveLength(2)
    expect(archivist.requests.map(r => r.path)).toEqual(['/v1/object/old', '/v1/object/new'])
  })

  it.each([
    ['the connection drops before Content-Length bytes arrived', truncatedBody],
    ['the JSON stops in the middle of a complete HTTP answer', cutJson]
  ])('detects a truncated download (%s) and downloads again', async (_case, broken) => {
    const archivist = await startArchivist({ 'GET /v1/object/:key': [broken, servePlan] })
    const { client } = await startApi({
      [`GET ${JSON_OUTPUT}`]: reply.redirect(`${archivist.origin}/v1/object/k`)
    })
    const result = await downloadJsonPlan(client, { planId: PLAN_ID }, options())
    expect(result).toMatchObject({ kind: 'json', bytes: Buffer.byteLength(PLAN_TEXT) })
    expect(JSON.parse(await readFile(join(destDir, `${PLAN_ID}.json`), 'utf8'))).toEqual(PLAN)
    expect(archivist.requests).toHaveLength(2)
    expect(await savedFiles()).toEqual([`${PLAN_ID}.json`])
  })

  it('reads brackets and escaped quotes inside strings as text when checking completeness', async () => {
    const tricky = '{"a":"quote \\" and } brace","b":{"c":"]}\\\\"},"d":[{"e":"{["}]}'
    expect(JSON.parse(tricky)).toBeDefined()
    const cutAfterBraceInString = tricky.slice(0, tricky.indexOf('} brace') + 1)
    const archivist = await startArchivist({
      'GET /v1/object/:key': [
        () => ({ status: 200, body: cutAfterBraceInString }),
        () => ({ status: 200, body: tricky })
      ]
    })
    const { client } = await startApi({
      [`GET ${JSON_OUTPUT}`]: reply.redirect(`${archivist.origin}/v1/object/k`)
    })
    const result = await downloadJsonPlan(client, { planId: PLAN_ID }, options())
    expect(result).toMatchObject({ kind: 'json', bytes: tricky.length })
    expect(archivist.requests).toHaveLength(2)
  })

  it('gives up after a few broken downloads, then tries the redacted JSON', async () => {
    const archivist = await startArchivist({ 'GET /v1/object/:key': truncatedBody })
    const { api, client } = await startApi({
      [`GET ${JSON_OUTPUT}`]: reply.redirect(`${archivist.origin}/v1/object/k`),
      [`GET ${REDACTED_OUTPUT}`]: reply.with(404, {
        errors: [{ status: '404', title: 'not found' }]
      })
    })
    const result = await downloadJsonPlan(client, { planId: PLAN_ID }, options())
    expect(result.kind).toBe('unavailable')
    expect(result).toMatchObject({
      reason: expect.stringMatching(
        /could not be downloaded: the download from localhost:\d+ broke off .*\(3 attempts\)/
      )
    })
    expect(api.requestsTo(JSON_OUTPUT)).toHaveLength(3)
    expect(await savedFiles()).toEqual([])
  })

  it('gives up when the JSON is still not ready after the time limit', async () => {
    const { api, client } = await startApi({ [`GET ${JSON_OUTPUT}`]: reply.with(204) })
    const result = await downloadJsonPlan(
      client,
      { planId: PLAN_ID },
      options({ timeoutMs: 10_000 })
    )
    expect(result).toEqual({
      kind: 'unavailable',
      reason:
        "HCP Terraform did not provide the plan's JSON: still not ready after 10 s (HTTP 204)."
    })
    expect(api.requestsTo(JSON_OUTPUT)).toHaveLength(11)
    expect(api.requestsTo(REDACTED_OUTPUT)).toHaveLength(0)
  })

  it('says so for Terraform before 0.12 (HTTP 422), without trying the redacted JSON', async () => {
    const { api, client } = await startApi({
      [`GET ${JSON_OUTPUT}`]: reply.with(422, { errors: ['too old'] })
    })
    const result = await downloadJsonPlan(client, { planId: PLAN_ID }, options())
    expect(result).toEqual({
      kind: 'unavailable',
      reason:
        'HCP Terraform has no JSON for this plan (HTTP 422): Terraform before 0.12 cannot produce one.'
    })
    expect(api.requestsTo(REDACTED_OUTPUT)).toHaveLength(0)
  })

  it('passes on errors that are not about access', async () => {
    const api = await startRouteServer({
      [`GET ${JSON_OUTPUT}`]: reply.with(401, { errors: ['unauthorized'] })
    })
    servers.push(api)
    const client = createTfcClient({ origin: api.origin, token: 'json-plan-test-token' })
    await expect(downloadJsonPlan(client, { planId: PLAN_ID }, options())).rejects.toThrow(/401/)
  })
})

describe('downloadJsonPlan: redacted fallback', () => {
  const notFound = reply.with(404, { errors: [{ status: '404', title: 'not found' }] })

  it('falls back to the redacted JSON served inline when the token is no workspace admin', async () => {
    const { client } = await startApi({
      [`GET ${JSON_OUTPUT}`]: notFound,
      [`GET ${REDACTED_OUTPUT}`]: reply.with(200, REDACTED)
    })
    const result = await downloadJsonPlan(client, { planId: PLAN_ID }, options())
    const path = join(destDir, `${PLAN_ID}-redacted.json`)
    expect(result).toMatchObject({ kind: 'redacted-json', path })
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(REDACTED)
    expect(result.kind === 'redacted-json' && result.bytes).toBe((await readFile(path)).length)
  })

  it('follows a redirect for the redacted JSON too', async () => {
    const archivist = await startArchivist({
      'GET /v1/object/:key': () => ({ status: 200, body: JSON.stringify(REDACTED) })
    })
    const { client } = await startApi({
      [`GET ${JSON_OUTPUT}`]: notFound,
      [`GET ${REDACTED_OUTPUT}`]: reply.redirect(`${archivist.origin}/v1/object/r`)
    })
    const result = await downloadJsonPlan(client, { planId: PLAN_ID }, options())
    expect(result.kind).toBe('redacted-json')
    expect(archivist.requests[0].headers.authorization).toBeUndefined()
  })

  it('explains which token permission is missing when neither JSON may be read', async () => {
    const { client } = await startApi({
      [`GET ${JSON_OUTPUT}`]: notFound,
      [`GET ${REDACTED_OUTPUT}`]: notFound
    })
    const result = await downloadJsonPlan(client, { planId: PLAN_ID }, options())
    expect(result).toEqual({
      kind: 'unavailable',
      reason:
        "The token may not read this plan's JSON (HTTP 404 for json-output, HTTP 404 for " +
        'json-output-redacted). Use a user or team token with workspace admin access for full ' +
        'detail, or read-runs access for the redacted plan; organization tokens cannot read plan JSON.'
    })
    expect(await savedFiles()).toEqual([])
  })

  it('explains a redacted JSON that needs a newer Terraform', async () => {
    const { client } = await startApi({
      [`GET ${JSON_OUTPUT}`]: notFound,
      [`GET ${REDACTED_OUTPUT}`]: reply.with(422, { errors: ['unsupported'] })
    })
    const result = await downloadJsonPlan(client, { planId: PLAN_ID }, options())
    expect(result).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringContaining(
        'the redacted JSON needs Terraform 0.15.2 or later (HTTP 422)'
      )
    })
  })
})

describe('JsonDownloadCheck', () => {
  /** Runs of backslashes before quotes, brackets in strings, and multi-byte characters. */
  const DOCUMENT = '{"a":"x\\\\","b":"y\\"}]\\\\\\"z","c":[{"d":"日本\\\\\\\\"},2],"e":""}'

  const problemOf = (...chunks: string[]): string | undefined => {
    const check = new JsonDownloadCheck()
    for (const chunk of chunks) check._transform(Buffer.from(chunk), 'utf8', () => undefined)
    return check.problem('host')
  }

  it('finds a whole document complete however it is cut into chunks', () => {
    expect(JSON.parse(DOCUMENT)).toBeDefined()
    for (let at = 0; at <= DOCUMENT.length; at++) {
      expect(problemOf(DOCUMENT.slice(0, at), DOCUMENT.slice(at))).toBeUndefined()
      const third = Math.floor((DOCUMENT.length - at) / 2) + at
      expect(
        problemOf(DOCUMENT.slice(0, at), DOCUMENT.slice(at, third), DOCUMENT.slice(third))
      ).toBeUndefined()
    }
  })

  it('finds every truncation incomplete, and data after the document too', () => {
    for (let length = 0; length < DOCUMENT.length; length++) {
      const cut = DOCUMENT.slice(0, length)
      expect(problemOf(cut.slice(0, length / 2), cut.slice(length / 2))).toContain('not a complete')
    }
    expect(problemOf(DOCUMENT, ' {}')).toContain('not a complete')
  })
})

describe('readRedactedPlanTail', () => {
  const TEXT = JSON.stringify({ ...REDACTED, padding: 'p'.repeat(5000) })
  const tailOptions = { tailBytes: 1000, maxWholeBytes: 8000 }
  const tailText = (tail: unknown): string => (tail as { bytes: Buffer }).bytes.toString('utf8')

  /** An object store: honours `Range: bytes=-n` with 206, as S3 and the archivist do. */
  const ranged: Handler = request => {
    const match = /^bytes=-(\d+)$/.exec(String(request.headers.range))
    if (match === null) return { status: 200, body: TEXT }
    const start = Math.max(0, TEXT.length - Number(match[1]))
    return {
      status: 206,
      body: TEXT.slice(start),
      headers: { 'Content-Range': `bytes ${start}-${TEXT.length - 1}/${TEXT.length}` }
    }
  }

  it('asks the temporary URL for the last bytes only, without compression', async () => {
    const archivist = await startArchivist({ 'GET /v1/object/:key': ranged })
    const { client } = await startApi({
      [`GET ${REDACTED_OUTPUT}`]: reply.redirect(`${archivist.origin}/v1/object/k`)
    })
    const tail = await readRedactedPlanTail(client, { planId: PLAN_ID }, tailOptions)
    expect(tail).toMatchObject({ kind: 'tail', whole: false })
    expect(tailText(tail)).toBe(TEXT.slice(-1000))
    expect(archivist.requests[0].headers).toMatchObject({
      range: 'bytes=-1000',
      'accept-encoding': 'identity'
    })
  })

  it('is whole when the plan is shorter than the tail asked for', async () => {
    const archivist = await startArchivist({ 'GET /v1/object/:key': ranged })
    const { client } = await startApi({
      [`GET ${REDACTED_OUTPUT}`]: reply.redirect(`${archivist.origin}/v1/object/k`)
    })
    const options = { ...tailOptions, tailBytes: 100_000 }
    const tail = await readRedactedPlanTail(client, { planId: PLAN_ID }, options)
    expect(tail).toMatchObject({ kind: 'tail', whole: true })
    expect(tailText(tail)).toBe(TEXT)
  })

  it('keeps only the last bytes of a whole plan sent inline, as long as it is not too large', async () => {
    const { client } = await startApi({ [`GET ${REDACTED_OUTPUT}`]: reply.with(200, TEXT) })
    const tail = await readRedactedPlanTail(client, { planId: PLAN_ID }, tailOptions)
    expect(tail).toMatchObject({ kind: 'tail', whole: false })
    expect(tailText(tail)).toBe(TEXT.slice(-1000))
  })

  it('does not read a whole plan larger than the limit, with or without a Content-Length', async () => {
    const chunked: Handler = (_request, _params, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' })
      response.end(TEXT)
    }
    for (const answer of [reply.with(200, TEXT), chunked]) {
      const { client } = await startApi({ [`GET ${REDACTED_OUTPUT}`]: answer })
      const options = { ...tailOptions, maxWholeBytes: 3000 }
      const tail = await readRedactedPlanTail(client, { planId: PLAN_ID }, options)
      expect(tail).toMatchObject({ kind: 'too-large' })
      expect((tail as { totalBytes: number }).totalBytes).toBeGreaterThan(3000)
    }
  })

  it('has none when the redacted plan may not be read, or every download is broken', async () => {
    const refused = await startApi({ [`GET ${REDACTED_OUTPUT}`]: reply.with(404) })
    expect(await readRedactedPlanTail(refused.client, { planId: PLAN_ID }, tailOptions)).toBe(
      undefined
    )
    const noRange: Handler = () => ({ status: 206, body: TEXT.slice(-1000) })
    const archivist = await startArchivist({ 'GET /v1/object/:key': noRange })
    const { client } = await startApi({
      [`GET ${REDACTED_OUTPUT}`]: reply.redirect(`${archivist.origin}/v1/object/k`)
    })
    expect(await readRedactedPlanTail(client, { planId: PLAN_ID }, tailOptions)).toBeUndefined()
    expect(archivist.requests).toHaveLength(3)
  })
})
