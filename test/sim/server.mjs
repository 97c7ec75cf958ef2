// A loopback HTTP server that records every request and can be told to misbehave (faults),
// the plumbing under the HCP Terraform simulator's API and archivist.
import { createServer } from 'node:http'
import { JSON_API, plainError, rateLimited } from './jsonapi.mjs'

/**
 * @typedef {import('./jsonapi.mjs').SimResponse} SimResponse
 * @typedef {{ origin: string, method: string, path: string, query: Record<string, string>,
 *   headers: Record<string, string | string[] | undefined>, body: string, at: number }} RecordedRequest
 * @typedef {{ match: (req: RecordedRequest) => boolean, status?: number,
 *   headers?: Record<string, string>, body?: unknown, delayMs?: number, times?: number,
 *   resetConnection?: boolean, truncate?: boolean }} Fault
 */

/**
 * Listens on 127.0.0.1, port 0. `origin` is the URL the server is known by (its host may be
 * `localhost` to make a second origin). Requests go to `requests` and `onRequest`, before any
 * fault from `faults` applies.
 * @param {{ host: string, route: (req: RecordedRequest) => SimResponse | Promise<SimResponse>,
 *   requests: RecordedRequest[], faults: Fault[], onRequest?: (req: RecordedRequest) => void }} options
 */
export async function startRecordingServer({ host, route, requests, faults, onRequest }) {
  const timers = new Set()
  let closed = false
  let origin = ''

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', origin)
    /** @type {RecordedRequest} */
    const record = {
      origin,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: await readBody(req),
      at: Date.now()
    }
    requests.push(record)
    onRequest?.(record)
    const fault = takeFault(faults, record)
    if (fault?.delayMs) await sleep(fault.delayMs)
    if (closed) return
    if (fault?.resetConnection) {
      req.socket.destroy()
      return
    }
    let response
    try {
      response = fault?.status ? faultResponse(fault) : await route(record)
    } catch (error) {
      response = plainError(500, `simulator error: ${error}`)
    }
    write(res, response, fault?.truncate === true)
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = server.address()
  origin = `http://${host}:${typeof address === 'object' && address ? address.port : 0}`

  /** @param {number} ms */
  function sleep(ms) {
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve(undefined)
      }, ms)
      timers.add(timer)
    })
  }

  return {
    origin,
    close: () =>
      new Promise(resolve => {
        closed = true
        for (const timer of timers) clearTimeout(timer)
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      })
  }
}

/**
 * Takes the first fault matching the request (a fault without `match` matches all), counting
 * down its `times` (default 1).
 * @template {{ match?: (request: any) => boolean, times?: number }} F
 * @param {F[]} faults @param {unknown} record @returns {F | undefined}
 */
export function takeFault(faults, record) {
  const index = faults.findIndex(fault => !fault.match || fault.match(record))
  if (index < 0) return undefined
  const fault = faults[index]
  const times = fault.times ?? 1
  if (times <= 1) faults.splice(index, 1)
  else fault.times = times - 1
  return fault
}

/** @param {Fault} fault @returns {SimResponse} */
function faultResponse(fault) {
  const status = /** @type {number} */ (fault.status)
  const body =
    fault.body ??
    (status >= 400 ? { errors: [{ status: String(status), title: 'simulated fault' }] } : undefined)
  const html = typeof body === 'string' && body.trimStart().startsWith('<')
  return {
    status,
    headers: { 'content-type': html ? 'text/html' : JSON_API, ...fault.headers },
    body
  }
}

/**
 * @param {import('node:http').ServerResponse} res @param {SimResponse} response
 * @param {boolean} truncate send half the body under the full Content-Length, then drop the connection
 */
function write(res, { status, headers = {}, body }, truncate) {
  if (res.destroyed) return
  const payload =
    body === undefined
      ? undefined
      : Buffer.isBuffer(body)
        ? body
        : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
  res.writeHead(status, { ...headers, 'content-length': String(payload?.length ?? 0) })
  if (truncate && payload) {
    res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.destroy())
    return
  }
  res.end(payload)
}

/** @param {import('node:http').IncomingMessage} req */
async function readBody(req) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * A request matcher: method and a path pattern with `:param` segments (`/api/v2/runs/:id`) or a
 * RegExp tested against the path.
 * @param {string} method @param {string | RegExp} pattern
 * @returns {(req: RecordedRequest) => boolean}
 */
export function on(method, pattern) {
  const regex =
    typeof pattern === 'string' ? new RegExp(`^${pattern.replace(/:[^/]+/g, '[^/]+')}$`) : pattern
  return req => req.method === method && regex.test(req.path)
}

/**
 * Ready-made faults; `times` defaults to 1 (Infinity for "always").
 * @type {Record<string, (match: (req: RecordedRequest) => boolean, extra?: Partial<Fault>) => Fault>}
 */
export const fault = {
  rateLimit: (match, extra) => ({ match, ...rateLimited('0.5'), ...extra }),
  serverError: (match, extra) => ({ match, status: 503, ...extra }),
  htmlError: (match, extra) => ({
    match,
    status: 502,
    body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
    ...extra
  }),
  malformedJson: (match, extra) => ({
    match,
    status: 200,
    body: '{"data": {"id": "run-',
    ...extra
  }),
  resetConnection: (match, extra) => ({ match, resetConnection: true, ...extra }),
  expired: (match, extra) => ({ match, ...plainError(403, 'Request has expired'), ...extra }),
  slow: (match, extra) => ({ match, delayMs: 30_000, ...extra }),
  truncate: (match, extra) => ({ match, truncate: true, ...extra })
}
