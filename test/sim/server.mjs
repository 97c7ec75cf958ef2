// Loopback HTTP servers for the simulators and the unit tests: `startLoopbackServer` is the one
// helper that listens, reads bodies, writes answers and closes; `startRecordingServer` adds the
// request log and the faults the HCP Terraform simulator's API and archivist use.
import { createServer } from 'node:http'
import { JSON_API, plainError, rateLimited } from './jsonapi.mjs'

/** @typedef {import('./jsonapi.mjs').SimResponse} SimResponse */

/**
 * @typedef {object} RecordedRequest
 * @property {string} origin the server's origin (the HCP Terraform simulator: `url` for the API,
 *   `archivistUrl` for the archivist)
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {Record<string, string | string[] | undefined>} headers lower-case names, as received
 *   (includes authorization)
 * @property {string} body
 * @property {number} at
 * @property {number} [status] the answer's status, once it was sent
 */

/**
 * Served instead of the normal answer to the next `times` (default 1; Infinity = always) matches.
 * @typedef {object} Fault
 * @property {(req: RecordedRequest) => boolean} match
 * @property {number} [status]
 * @property {Record<string, string>} [headers]
 * @property {unknown} [body] object → JSON:API body; string → sent as is (text/html when it
 *   starts with `<`)
 * @property {number} [delayMs] wait this long first; without `status` the normal answer follows
 *   (a slow response)
 * @property {number} [times]
 * @property {boolean} [resetConnection] drop the connection without an answer
 * @property {boolean} [truncate] send the normal answer's headers and half its body, then drop
 *   the connection
 */

/**
 * A request as it arrived, body read in full.
 * @typedef {object} IncomingRequest
 * @property {string} method
 * @property {string} target path and query, as sent
 * @property {URL} url the target resolved against the server's origin
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} body
 */

/**
 * Answers one request: returns the answer, or writes to `response` itself and returns nothing
 * (to reset the connection, never answer, or send a body that lies about its length).
 * @callback Handle
 * @param {IncomingRequest} request
 * @param {import('node:http').ServerResponse} response
 * @returns {SimResponse | void | Promise<SimResponse | void>}
 */

/**
 * @typedef {object} LoopbackServer
 * @property {string} origin `http://<host>:<port>`
 * @property {number} port
 * @property {(ms: number) => Promise<void>} sleep a delay that never ends once the server closed
 * @property {() => Promise<void>} close drops open connections and stops listening
 */

/**
 * Listens on 127.0.0.1, port 0. `host` names the origin (`localhost` makes a second origin on
 * the same interface). A handler that throws answers 500.
 * @param {{ host?: string, handle: Handle }} options
 * @returns {Promise<LoopbackServer>}
 */
export async function startLoopbackServer({ host = '127.0.0.1', handle }) {
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set()
  let closed = false
  let origin = ''

  const server = createServer(async (req, res) => {
    const target = req.url ?? '/'
    const body = await readBody(req)
    if (closed) return
    /** @type {SimResponse | void} */
    let response
    try {
      response = await handle(
        {
          method: req.method ?? 'GET',
          target,
          url: new URL(target, origin),
          headers: req.headers,
          body
        },
        res
      )
    } catch (error) {
      response = plainError(500, `simulator error: ${error}`)
    }
    if (response && !closed) sendResponse(res, response)
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port
  origin = `http://${host}:${port}`

  return {
    origin,
    port,
    sleep: ms =>
      new Promise(resolve => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          resolve()
        }, ms)
        timers.add(timer)
      }),
    close: () =>
      new Promise(resolve => {
        closed = true
        for (const timer of timers) clearTimeout(timer)
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/**
 * Writes an answer with its Content-Length (a header given in `headers` wins, whatever its case).
 * A string or Buffer body goes as is, anything else as JSON.
 * @param {import('node:http').ServerResponse} res @param {SimResponse} response
 * @param {{ truncate?: boolean }} [options] truncate: send half the body under the full
 *   Content-Length, then drop the connection
 */
export function sendResponse(res, { status, headers = {}, body }, { truncate = false } = {}) {
  if (res.destroyed) return
  const payload =
    body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(body)
        ? body
        : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
  /** @type {Record<string, string>} */
  const merged = { 'content-length': String(payload.length) }
  for (const [name, value] of Object.entries(headers)) merged[name.toLowerCase()] = value
  res.writeHead(status, merged)
  if (truncate && body !== undefined) {
    res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.destroy())
    return
  }
  res.end(payload)
}

/**
 * A server that records every request in `requests` (and hands it to `onRequest`) before any
 * fault from `faults` applies, then answers with `route`.
 * @param {{ host: string, route: (req: RecordedRequest) => SimResponse | Promise<SimResponse>,
 *   requests: RecordedRequest[], faults: Fault[], onRequest?: (req: RecordedRequest) => void }} options
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
export async function startRecordingServer({ host, route, requests, faults, onRequest }) {
  const server = await startLoopbackServer({
    host,
    handle: async (incoming, res) => {
      /** @type {RecordedRequest} */
      const record = {
        origin: server.origin,
        method: incoming.method,
        path: incoming.url.pathname,
        query: Object.fromEntries(incoming.url.searchParams),
        headers: { ...incoming.headers },
        body: incoming.body,
        at: Date.now()
      }
      requests.push(record)
      onRequest?.(record)
      const fault = takeFault(faults, record)
      if (fault?.delayMs) await server.sleep(fault.delayMs)
      if (fault?.resetConnection) {
        res.socket?.destroy()
        return
      }
      const response = fault?.status ? faultResponse(fault) : await route(record)
      record.status = response.status
      sendResponse(res, response, { truncate: fault?.truncate === true })
    }
  })
  return { origin: server.origin, close: server.close }
}

/**
 * Takes the first fault matching the request (a fault without `match` matches all), counting
 * down its `times` (default 1).
 * @template R
 * @template {{ match?: (request: R) => boolean, times?: number }} F
 * @param {F[]} faults @param {R} record @returns {F | undefined}
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

/** @typedef {(match: (req: RecordedRequest) => boolean, extra?: Partial<Fault>) => Fault} FaultBuilder */

/**
 * Ready-made faults; `times` defaults to 1 (Infinity for "always"): rateLimit (429,
 * X-RateLimit-Reset 0.5), serverError (503), htmlError (502 page), malformedJson,
 * resetConnection, expired (the archivist's 403), slow (30 s), truncate.
 * @type {Record<'rateLimit' | 'serverError' | 'htmlError' | 'malformedJson' | 'resetConnection'
 *   | 'expired' | 'slow' | 'truncate', FaultBuilder>}
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
