// JSON:API answers as HCP Terraform writes them: documents, error documents, pagination, 429s.
import { URLSearchParams } from 'node:url'

export const JSON_API = 'application/vnd.api+json'

/**
 * @typedef {{ status: number, headers?: Record<string, string>, body?: unknown }} SimResponse
 */

/** @param {object} body @param {number} [status] @returns {SimResponse} */
export function document(body, status = 200) {
  return { status, headers: { 'content-type': JSON_API }, body }
}

/** @param {number} status @param {string} title @param {string} [detail] @returns {SimResponse} */
export function jsonApiError(status, title, detail) {
  const error = detail
    ? { status: String(status), title, detail }
    : { status: String(status), title }
  return document({ errors: [error] }, status)
}

/** A missing resource, and equally one the token may not see (HCP Terraform never says 403). */
export function notFound() {
  return jsonApiError(404, 'not found')
}

/**
 * HCP Terraform's 429: numeric status in the body, the reset in decimal seconds.
 * @param {string} resetSeconds @returns {SimResponse}
 */
export function rateLimited(resetSeconds) {
  return {
    status: 429,
    headers: {
      'content-type': JSON_API,
      'x-ratelimit-limit': '30',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': resetSeconds
    },
    body: {
      errors: [
        { status: 429, title: 'Too many requests', detail: 'You have exceeded the API rate limit.' }
      ]
    }
  }
}

/** A non-JSON:API error, as the archivist (an object store) answers. */
export function plainError(/** @type {number} */ status, /** @type {string} */ message) {
  return { status, headers: { 'content-type': 'text/plain' }, body: message }
}

/**
 * One page of a list with `links` (absolute, like HCP Terraform's) and `meta.pagination`.
 * `page[size]` defaults to 20 and is capped at 100.
 * @param {object[]} items
 * @param {{ path: string, query: Record<string, string> }} req
 * @param {string} origin
 */
export function paginate(items, req, origin) {
  const size = Math.min(100, Math.max(1, integer(req.query['page[size]'], 20)))
  const number = Math.max(1, integer(req.query['page[number]'], 1))
  const totalPages = Math.max(1, Math.ceil(items.length / size))
  const link = (/** @type {number} */ page) =>
    `${origin}${req.path}?${new URLSearchParams({
      ...req.query,
      'page[number]': String(page),
      'page[size]': String(size)
    })}`
  return {
    data: items.slice((number - 1) * size, number * size),
    links: {
      self: link(number),
      first: link(1),
      prev: number > 1 ? link(number - 1) : null,
      next: number < totalPages ? link(number + 1) : null,
      last: link(totalPages)
    },
    meta: {
      pagination: {
        'current-page': number,
        'page-size': size,
        'prev-page': number > 1 ? number - 1 : null,
        'next-page': number < totalPages ? number + 1 : null,
        'total-pages': totalPages,
        'total-count': items.length
      }
    }
  }
}

/** @param {string | undefined} text @param {number} fallback */
function integer(text, fallback) {
  const value = Number.parseInt(text ?? '', 10)
  return Number.isNaN(value) ? fallback : value
}
