// The archivist: the object store on its own origin that HCP Terraform's temporary URLs point
// to (JSON plans, logs, export bundles). URLs carry a signature; a request with a token is refused.
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
 * @param {{ ttlMs: number, requests: RecordedRequest[], faults: Fault[],
 *   tokenLeaks: { url: string, authorization: string }[] }} options
 * @returns {Promise<Archivist>}
 */
export async function startArchivist({ ttlMs, requests, faults, tokenLeaks }) {
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
    return { status: 200, headers: { 'content-type': object.contentType }, body: object.body }
  }

  return {
    origin: server.origin,
    publish: (body, contentType) => store(body, contentType),
    publishTemporary: (body, contentType, suffix) => store(body, contentType, { ttlMs, suffix }),
    close: server.close
  }
}
