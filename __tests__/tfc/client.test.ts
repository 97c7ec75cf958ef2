import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { createTfcClient } from '../../src/tfc/client.js'
import type { TfcClientOptions } from '../../src/tfc/client.js'
import { TfcApiError, TfcConnectionError } from '../../src/tfc/errors.js'
import { agentFor } from '../../src/tfc/http.js'
import { reply, startRouteServer } from '../helpers/route-server.js'
import type { RouteServer } from '../helpers/route-server.js'
import { startConnectProxy } from '../helpers/connect-proxy.js'
import type { ConnectProxy } from '../helpers/connect-proxy.js'
import { captureStdout } from '../helpers/capture-stdout.js'
import { fakeClock } from '../helpers/fake-clock.js'
import type { FakeClock } from '../helpers/fake-clock.js'

const TOKEN = 'tfc-test-token-abcdef'
const RUN_PATH = '/api/v2/runs/run-AAAAAAAAAAAAAAAA'

let servers: RouteServer[] = []
let clock: FakeClock

async function server(routes: Parameters<typeof startRouteServer>[0] = {}, localhost = false) {
  const started = await startRouteServer(routes, localhost ? { hostname: 'localhost' } : {})
  servers.push(started)
  return started
}

function client(origin: string, options: Partial<TfcClientOptions> = {}) {
  return createTfcClient({
    origin,
    token: TOKEN,
    clock,
    random: () => 0.5,
    ...options
  })
}

/** The error a promise rejects with, to inspect more than one property. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>(resolve => probe.close(() => resolve()))
  return port
}

beforeEach(() => {
  // Starts at the real time: Retry-After may name a date.
  clock = fakeClock(Date.now())
})

afterEach(async () => {
  await Promise.all(servers.map(s => s.close()))
  servers = []
  jest.restoreAllMocks()
})

describe('requests to the API', () => {
  it('sends the token, JSON:API media type and user agent, and parses the answer', async () => {
    const api = await server({ [`GET ${RUN_PATH}`]: reply.with(200, { data: { id: 'run-1' } }) })
    const response = await client(api.origin).api<{ data: { id: string } }>(
      '/runs/run-AAAAAAAAAAAAAAAA',
      { query: { include: 'plan,workspace' } }
    )
    expect(response).toEqual({ status: 200, body: { data: { id: 'run-1' } } })
    const [request] = api.requests
    expect(request.query.get('include')).toBe('plan,workspace')
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(request.headers.accept).toBe('application/vnd.api+json')
    expect(request.headers['content-type']).toBe('application/vnd.api+json')
    expect(request.headers['user-agent']).toMatch(/^tfc-plan-summary\/\d+\.\d+\.\d+/)
  })

  it('sends a JSON body with POST', async () => {
    const api = await server({ 'POST /api/v2/plan-exports': reply.with(201, { data: {} }) })
    await client(api.origin).api('/plan-exports', { method: 'POST', body: { data: { a: 1 } } })
    expect(JSON.parse(api.requests[0].body)).toEqual({ data: { a: 1 } })
  })

  it('masks the token in the job log once the client exists', () => {
    const written = captureStdout()
    client('https://app.terraform.io')
    expect(written.join('')).toContain(`::add-mask::${TOKEN}`)
  })

  it('refuses to send the token to another origin, even through an absolute URL', async () => {
    const api = await server({ [`GET ${RUN_PATH}`]: reply.with(200, {}) })
    const other = `http://localhost:${api.port}${RUN_PATH}`
    await expect(client(api.origin).api(other)).rejects.toThrow(/Refusing to send the HCP/)
    expect(api.requests).toHaveLength(0)
  })

  it('accepts an absolute URL on the API origin (pagination links)', async () => {
    const api = await server({ [`GET ${RUN_PATH}`]: reply.with(200, { ok: true }) })
    const response = await client(api.origin).api(`${api.origin}${RUN_PATH}?page%5Bnumber%5D=2`)
    expect(response.body).toEqual({ ok: true })
    expect(api.requests[0].query.get('page[number]')).toBe('2')
  })

  it('returns an accepted redirect with an absolute Location instead of following it', async () => {
    const api = await server({
      'GET /api/v2/plans/plan-1/json-output': reply.redirect('/_archivist/secret?sig=x')
    })
    const response = await client(api.origin).api('/plans/plan-1/json-output', {
      accept: [307]
    })
    expect(response).toEqual({
      status: 307,
      body: undefined,
      location: `${api.origin}/_archivist/secret?sig=x`
    })
    expect(api.requests).toHaveLength(1)
  })

  it('throws on a redirect that was not accepted', async () => {
    const api = await server({ 'GET /api/v2/plans/plan-1': reply.redirect('/elsewhere') })
    const error = await failure(client(api.origin).api('/plans/plan-1'))
    expect(error).toBeInstanceOf(TfcApiError)
    expect((error as TfcApiError).status).toBe(307)
    expect(api.requests).toHaveLength(1)
  })

  it('rejects a success answer that is not JSON', async () => {
    const api = await server({ 'GET /api/v2/ping': reply.with(200, '<html>portal</html>') })
    await expect(client(api.origin).api('/ping')).rejects.toThrow(/is not JSON/)
  })
})

describe('error messages', () => {
  const jsonApi = (status: string | number, title: string, detail?: string) => ({
    errors: [{ status, title, ...(detail ? { detail } : {}) }]
  })

  it.each([
    [401, /token is wrong or expired \(401\).*`token` input \/ TF_API_TOKEN/],
    [404, /not found, or the token may not see it/],
    [403, /forbidden \(403\)/],
    [422, /rejected as invalid \(422\)/],
    [409, /conflict \(409\)/]
  ])('explains HTTP %i', async (status, expected) => {
    const api = await server({
      [`GET ${RUN_PATH}`]: reply.with(status, jsonApi(String(status), 'problem', 'the detail'))
    })
    const error = await failure(client(api.origin).api('/runs/run-AAAAAAAAAAAAAAAA'))
    expect(error).toBeInstanceOf(TfcApiError)
    expect((error as TfcApiError).status).toBe(status)
    expect(error.message).toMatch(expected)
    expect(error.message).toContain(`GET ${RUN_PATH}`)
    expect(error.message).toContain('problem: the detail')
  })

  it('reads errors whose status is a number', async () => {
    const api = await server({
      'GET /api/v2/ping': reply.with(422, jsonApi(422, 'invalid attribute', 'Name is taken'))
    })
    await expect(client(api.origin).api('/ping')).rejects.toThrow(
      'HCP Terraform said: "invalid attribute: Name is taken"'
    )
  })

  it('shows only the detail when the title merely repeats it', async () => {
    const api = await server({
      'GET /api/v2/ping': reply.with(404, jsonApi('404', 'not found', 'Not found: plan-1'))
    })
    await expect(client(api.origin).api('/ping')).rejects.toThrow(
      'HCP Terraform said: "Not found: plan-1"'
    )
  })

  it('reads the non-standard {"errors": ["text"]}', async () => {
    const api = await server({
      'GET /api/v2/ping': reply.with(400, { errors: ['Something went wrong', 'and more'] })
    })
    await expect(client(api.origin).api('/ping')).rejects.toThrow(
      'HCP Terraform said: "Something went wrong; and more"'
    )
  })

  it('turns an HTML error page into a short excerpt without tags', async () => {
    const page = `<html><head><style>body{color:red}</style><script>var x=1</script></head>
      <body><h1>502 Bad Gateway</h1><p>The proxy could not reach https://internal.example/path?key=1</p>
      ${'<div>filler text</div>'.repeat(100_000)}</body></html>`
    const api = await server({ 'GET /api/v2/ping': reply.with(418, page) })
    const error = await failure(client(api.origin).api('/ping'))
    expect(error.message).toContain('502 Bad Gateway The proxy could not reach')
    expect(error.message).not.toMatch(/[<>]|color:red|var x/)
    expect(error.message).toContain('https://internal.example/…')
    expect(error.message).not.toContain('key=1')
    expect(error.message.length).toBeLessThan(400)
  })

  it('never repeats the token, even when the server echoes it', async () => {
    const api = await server({
      'GET /api/v2/ping': reply.with(401, jsonApi('401', 'unauthorized', `bad token ${TOKEN}`))
    })
    const error = await failure(client(api.origin).api('/ping'))
    expect(error.message).toContain('bad token ***')
    expect(error.message).not.toContain(TOKEN)
  })
})

describe('retries', () => {
  it('waits X-RateLimit-Reset (decimal seconds) after a 429 and then succeeds', async () => {
    const api = await server({
      'GET /api/v2/ping': [
        reply.with(
          429,
          { errors: [{ status: 429, title: 'Too many requests' }] },
          {
            'X-RateLimit-Reset': '0.5'
          }
        ),
        reply.with(200, { ok: true })
      ]
    })
    const response = await client(api.origin).api('/ping')
    expect(response.body).toEqual({ ok: true })
    expect(api.requests).toHaveLength(2)
    expect(clock.sleeps).toHaveLength(1)
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(500)
    expect(clock.sleeps[0]).toBeLessThan(1000)
  })

  it('falls back to Retry-After when a 429 has no reset header', async () => {
    const api = await server({
      'GET /api/v2/ping': [reply.with(429, '', { 'Retry-After': '2' }), reply.with(200, {})]
    })
    await client(api.origin).api('/ping')
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2000)
  })

  it('retries a POST after a 429: the server did not process it', async () => {
    const api = await server({
      'POST /api/v2/plan-exports': [
        reply.with(429, '', { 'X-RateLimit-Reset': '0.1' }),
        reply.with(201, {})
      ]
    })
    const response = await client(api.origin).api('/plan-exports', { method: 'POST', body: {} })
    expect(response.status).toBe(201)
    expect(api.requests).toHaveLength(2)
  })

  it('retries 5xx with exponential backoff, then succeeds', async () => {
    const api = await server({
      'GET /api/v2/ping': [reply.with(503, 'busy'), reply.with(502, 'busy'), reply.with(200, {})]
    })
    const response = await client(api.origin).api('/ping')
    expect(response.status).toBe(200)
    expect(api.requests).toHaveLength(3)
    expect(clock.sleeps).toEqual([1000, 2000])
  })

  it('gives up on 5xx after a bounded number of retries with a clear error', async () => {
    const api = await server({ 'GET /api/v2/ping': reply.with(503, { errors: ['maintenance'] }) })
    const error = await failure(client(api.origin, { maxRetries: 4 }).api('/ping'))
    expect(error).toBeInstanceOf(TfcApiError)
    expect((error as TfcApiError).status).toBe(503)
    expect(error.message).toMatch(/server error \(503\).*maintenance.*gave up after 5 attempts/)
    expect(api.requests).toHaveLength(5)
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000])
  })

  it('reads a GET again when a success answer is not JSON (a proxy page, a cut body)', async () => {
    const api = await server({
      'GET /api/v2/ping': [
        reply.with(200, '<html>Please log in</html>'),
        reply.with(200, '{"data":'),
        reply.with(200, { data: { id: 'x', type: 'pings' } })
      ]
    })
    const response = await client(api.origin).api<{ data: { id: string } }>('/ping')
    expect(response.body?.data.id).toBe('x')
    expect(api.requests).toHaveLength(3)
    expect(clock.sleeps).toEqual([1000, 2000])
  })

  it('gives up on success answers that are never JSON, and never resends a POST for one', async () => {
    const api = await server({
      'GET /api/v2/ping': reply.with(200, '<html>portal</html>'),
      'POST /api/v2/plan-exports': reply.with(201, '<html>portal</html>')
    })
    const error = await failure(client(api.origin, { maxRetries: 2 }).api('/ping'))
    expect(error.message).toMatch(/HTTP 200\) is not JSON.*gave up after 3 attempts/)
    const post = await failure(client(api.origin).api('/plan-exports', { method: 'POST' }))
    expect(post.message).toMatch(/HTTP 201\) is not JSON/)
    expect(api.requests.filter(r => r.method === 'POST')).toHaveLength(1)
  })

  it('caps the backoff at 10 s', async () => {
    const api = await server({ 'GET /api/v2/ping': reply.with(500, '') })
    await failure(client(api.origin, { maxRetries: 6, random: () => 1 }).api('/ping'))
    expect(Math.max(...clock.sleeps)).toBe(10_000)
    expect(clock.sleeps[0]).toBe(1250)
  })

  it('stops retrying when the total time is used up', async () => {
    const api = await server({ 'GET /api/v2/ping': reply.with(503, '') })
    const bounded = client(api.origin, { maxRetries: 100, maxRetryElapsedMs: 5000 })
    await expect(bounded.api('/ping')).rejects.toThrow(/gave up after 3 attempts/)
    expect(clock.sleeps).toEqual([1000, 2000])
  })

  it('does not retry a POST on a 5xx: it may have been processed', async () => {
    const api = await server({ 'POST /api/v2/plan-exports': reply.with(500, '') })
    const error = await failure(client(api.origin).api('/plan-exports', { method: 'POST' }))
    expect((error as TfcApiError).status).toBe(500)
    expect(api.requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it('retries a GET after the connection was reset', async () => {
    const api = await server({ 'GET /api/v2/ping': [reply.reset(), reply.with(200, { ok: 1 })] })
    const response = await client(api.origin).api('/ping')
    expect(response.body).toEqual({ ok: 1 })
    expect(api.requests).toHaveLength(2)
  })

  it('does not retry a POST after the connection was reset', async () => {
    const api = await server({ 'POST /api/v2/plan-exports': reply.reset() })
    const error = await failure(client(api.origin).api('/plan-exports', { method: 'POST' }))
    expect(error).toBeInstanceOf(TfcConnectionError)
    expect(error.message).toMatch(/ECONNRESET/)
    expect(api.requests).toHaveLength(1)
  })

  it('retries a POST whose connection was refused, then explains', async () => {
    const origin = `http://127.0.0.1:${await closedPort()}`
    const error = await failure(
      client(origin, { maxRetries: 2 }).api('/plan-exports', { method: 'POST' })
    )
    expect(error).toBeInstanceOf(TfcConnectionError)
    expect(error.message).toBe(
      `POST ${origin}/api/v2/plan-exports: connection failed (ECONNREFUSED) (gave up after 3 attempts)`
    )
    expect(clock.sleeps).toHaveLength(2)
  })

  it('times out a request that gets no answer, and retries it', async () => {
    const api = await server({ 'GET /api/v2/ping': reply.hang() })
    const started = Date.now()
    const error = await failure(client(api.origin, { timeoutMs: 100, maxRetries: 1 }).api('/ping'))
    expect(error).toBeInstanceOf(TfcConnectionError)
    expect(error.message).toMatch(/no answer within 0\.1 s \(gave up after 2 attempts\)/)
    expect(api.requests).toHaveLength(2)
    expect(Date.now() - started).toBeLessThan(5000)
  })
})

describe('fetchExternal', () => {
  it('never sends the token or the client headers, also across redirects', async () => {
    const archivist = await server({
      'GET /blob/secret': reply.with(200, 'content'),
      'GET /first': reply.redirect('/blob/secret', 302)
    })
    const api = await server({}, true)
    const response = await client(api.origin).fetchExternal(`${archivist.origin}/first?sig=1`)
    expect(await response.text()).toBe('content')
    expect(archivist.requests.map(r => r.path)).toEqual(['/first', '/blob/secret'])
    for (const request of archivist.requests) {
      expect(request.headers.authorization).toBeUndefined()
      expect(request.headers['user-agent']).not.toMatch(/tfc-plan-summary/)
      expect(request.headers['content-type']).toBeUndefined()
    }
  })

  it('does not send the token even when the URL is on the API origin', async () => {
    const api = await server({ 'GET /_archivist/abc': reply.with(200, 'x') })
    await client(api.origin).fetchExternal(`${api.origin}/_archivist/abc`)
    expect(api.requests[0].headers.authorization).toBeUndefined()
  })

  it('returns accepted statuses and throws others, naming only the host', async () => {
    const archivist = await server({ 'GET /blob': reply.with(403, 'expired') })
    const fetcher = client('https://app.terraform.io')
    const accepted = await fetcher.fetchExternal(`${archivist.origin}/blob?sig=SECRET`, {
      accept: [403]
    })
    expect(accepted.status).toBe(403)
    const error = await failure(fetcher.fetchExternal(`${archivist.origin}/blob?sig=SECRET`))
    expect(error).toBeInstanceOf(TfcApiError)
    expect(error.message).toBe(`GET http://127.0.0.1:${archivist.port}/…: HTTP 403`)
  })

  it('stops after 5 redirects', async () => {
    const archivist = await server({ 'GET /loop': reply.redirect('/loop') })
    const error = await failure(
      client('https://app.terraform.io').fetchExternal(`${archivist.origin}/loop`)
    )
    expect(error.message).toMatch(/more than 5 redirects/)
    expect(archivist.requests).toHaveLength(6)
  })

  it('keeps the secret URL out of connection errors', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/blob?sig=SECRET`
    const error = await failure(
      client('https://app.terraform.io', { maxRetries: 0 }).fetchExternal(url)
    )
    expect(error).toBeInstanceOf(TfcConnectionError)
    expect(error.message).not.toMatch(/SECRET|blob/)
  })

  it('aborts a body that stalls', async () => {
    const archivist = await server({
      'GET /slow': (_request, _params, response) => {
        response.writeHead(200, { 'Content-Length': '100' })
        response.write('partial')
      }
    })
    const response = await client('https://app.terraform.io', { timeoutMs: 200 }).fetchExternal(
      `${archivist.origin}/slow`
    )
    await expect(response.text()).rejects.toThrow(/abort/i)
  })

  it('lets a slow but steady body take longer than the timeout', async () => {
    const archivist = await server({
      'GET /steady': async (_request, _params, response) => {
        response.writeHead(200, { 'Content-Length': '6' })
        for (const chunk of ['ab', 'cd', 'ef']) {
          response.write(chunk)
          await new Promise(resolve => setTimeout(resolve, 120))
        }
        response.end()
      }
    })
    const response = await client('https://app.terraform.io', { timeoutMs: 200 }).fetchExternal(
      `${archivist.origin}/steady`
    )
    expect(await response.text()).toBe('abcdef')
  })
})

describe('proxies', () => {
  const proxyVariables = [
    'HTTP_PROXY',
    'http_proxy',
    'HTTPS_PROXY',
    'https_proxy',
    'NO_PROXY',
    'no_proxy'
  ]
  let saved: Record<string, string | undefined>
  let proxy: ConnectProxy | undefined

  beforeEach(() => {
    saved = Object.fromEntries(proxyVariables.map(name => [name, process.env[name]]))
    for (const name of proxyVariables) delete process.env[name]
  })

  afterEach(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    await proxy?.close()
    proxy = undefined
  })

  it('goes through HTTP_PROXY and still sends the token to the API host only', async () => {
    const api = await server({
      [`GET ${RUN_PATH}`]: reply.with(200, { data: {} }),
      'GET /_archivist/blob': reply.with(200, 'plan')
    })
    proxy = await startConnectProxy(api.port)
    process.env.http_proxy = proxy.url
    // A name only the proxy resolves: the request cannot reach the server except through it.
    const origin = `http://tfc.invalid:${api.port}`
    const tfc = client(origin)

    await tfc.api('/runs/run-AAAAAAAAAAAAAAAA')
    const download = await tfc.fetchExternal(`${origin}/_archivist/blob`)
    expect(await download.text()).toBe('plan')

    expect(proxy.tunnels).toEqual([`tfc.invalid:${api.port}`, `tfc.invalid:${api.port}`])
    expect(api.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(api.requests[1].headers.authorization).toBeUndefined()
  })

  it('uses a proxy only when one is set, honours NO_PROXY and never proxies loopback', () => {
    expect(agentFor(new URL('https://app.terraform.io/'))).toBeUndefined()
    process.env.HTTPS_PROXY = 'http://127.0.0.1:3128'
    expect(agentFor(new URL('https://app.terraform.io/'))).toBeDefined()
    expect(agentFor(new URL('https://127.0.0.1:8443/'))).toBeUndefined()
    expect(agentFor(new URL('http://localhost:8080/'))).toBeUndefined()
    process.env.NO_PROXY = '.terraform.io'
    expect(agentFor(new URL('https://app.terraform.io/'))).toBeUndefined()
    expect(agentFor(new URL('https://tfe.example.com/'))).toBeDefined()
  })
})
