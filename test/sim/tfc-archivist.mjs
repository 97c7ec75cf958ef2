// The archivist: the object store on its own origin that HCP Terraform's temporary URLs point
// to (JSON plans, logs, export bundles). URLs carry a signature; a request with a token is refused.
// Like the object stores behind it, it answers a single byte range (`Range: bytes=…`) with 206.
import { randomBytes } from 'node:crypto'
import { plainError } from './jsonapi.mjs'
import { startRecordingServer } from './server.mjs'

/**
 * @typedef {import('./server.mjs').RecordedRequest} RecordedRequest
 * @typedef {import('./server.mjs').Fault} Fault
 * @typedef {import('./jsonapi.mjs').SimResponse} SimResponse
 */

/**
 * @typedef {object} Archivist
 * @property {string} origin http://localhost:PORT
 * @property {(body: string | Buffer, contentType: string) => string} publish stores a body under
 *   a fresh secret URL that never expires (log URLs)
 * @property {(body: string | Buffer, contentType: string, suffix?: string) => string} publishTemporary
 *   a URL like the API redirects to, valid for `ttlMs`
 * @property {() => Promise<void>} close
 */

/**
 * Starts the archivist on http://localhost (a different origin from the API, as
 * archivist.terraform.io is on HCP Terraform).
 * @param {{ ttlMs: number, ranges: boolean, requests: RecordedRequest[], faults: Fault[],
 *   tokenLeaks: { url: string, authorization: string }[] }} options ranges: false ignores Range
 * @returns {Promise<Archivist>}
 */
export async function startArchivist({ ttlMs, ranges, requests, faults, tokenLeaks }) {
  /** @type {Map<string, { body: Buffer, contentType: string, expiresAt?: number }>} */
  const archive = new Map()
  const server = await startRecordingServer({
    host: 'localhost',
    route: serve,
    requests,
    faults,
    onRequest: req => {
      if (req.headers.authorization !== undefined) {
        tokenLeaks.push({ url: req.path, authorization: String(req.headers.authorization) })
      }
    }
  })

  /** @param {string | Buffer} body @param {string} contentType @param {{ ttlMs?: number, suffix?: string }} [options] */
  function store(body, contentType, { ttlMs, suffix = '' } = {}) {
    const path = `/v1/object/${randomBytes(24).toString('base64url')}${suffix}`
    const expiresAt = ttlMs === undefined ? undefined : Date.now() + ttlMs
    // Plans are encoded once per run, not per request: the bench times the action, not this.
    archive.set(path, {
      body: Buffer.isBuffer(body) ? body : Buffer.from(body),
      contentType,
      expiresAt
    })
    return `${server.origin}${path}?sig=${randomBytes(16).toString('hex')}`
  }

  /** @param {RecordedRequest} req @returns {SimResponse} */
  function serve(req) {
    if (req.headers.authorization !== undefined) {
      return plainError(400, 'Only one auth mechanism allowed; the URL already carries a signature')
    }
    const object = archive.get(req.path)
    if (!object || req.method !== 'GET') return plainError(404, 'NoSuchKey')
    if (object.expiresAt !== undefined && Date.now() > object.expiresAt) {
      return plainError(403, 'Request has expired')
    }
    const headers = { 'content-type': object.contentType }
    const range = ranges ? byteRange(req.headers.range, object.body.length) : undefined
    if (range === 'unsatisfiable') {
      const error = plainError(416, 'InvalidRange')
      return {
        ...error,
        headers: { ...error.headers, 'content-range': `bytes */${object.body.length}` }
      }
    }
    if (range === undefined) return { status: 200, headers, body: object.body }
    const { start, end } = range
    return {
      status: 206,
      headers: { ...headers, 'content-range': `bytes ${start}-${end}/${object.body.length}` },
      body: object.body.subarray(start, end + 1)
    }
  }

  return {
    origin: server.origin,
    publish: (body, contentType) => store(body, contentType),
    publishTemporary: (body, contentType, suffix) => store(body, contentType, { ttlMs, suffix }),
    close: server.close
  }
}

/**
 * The one byte range a Range header asks for (`bytes=a-b`, `bytes=a-`, `bytes=-n`), clipped to the
 * body; undefined for none, or a header not understood (the whole body is sent, as HTTP allows).
 * @param {string | string[] | undefined} header
 * @param {number} length
 * @returns {{ start: number, end: number } | 'unsatisfiable' | undefined}
 */
export function byteRange(header, length) {
  const match = typeof header === 'string' ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null
  if (match === null || (match[1] === '' && match[2] === '')) return undefined
  if (match[1] === '') {
    const suffix = Number(match[2])
    if (suffix === 0 || length === 0) return 'unsatisfiable'
    return { start: Math.max(0, length - suffix), end: length - 1 }
  }
  const start = Number(match[1])
  const end = match[2] === '' ? length - 1 : Math.min(Number(match[2]), length - 1)
  if (match[2] !== '' && Number(match[2]) < start) return undefined
  return start >= length ? 'unsatisfiable' : { start, end }
}
