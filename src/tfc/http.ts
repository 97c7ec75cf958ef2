// One HTTP exchange with a time limit, through the proxy the environment asks for.
import type { Agent } from 'node:http'
import { Transform, pipeline } from 'node:stream'
import type { Readable } from 'node:stream'
import { HttpClient, getProxyUrl } from '@actions/http-client'
import fetch, { Response } from 'node-fetch'
import type { Headers, RequestInit } from 'node-fetch'

// @actions/http-client decides as the runner's other tools do: HTTPS_PROXY/HTTP_PROXY/NO_PROXY
// in either case, and never a proxy for loopback addresses.
const proxyClient = new HttpClient()

/**
 * node-fetch's `agent`: a tunnelling agent when a proxy applies to `url`; else none, so that
 * Node's keep-alive global agent saves a TLS handshake per poll.
 */
export function agentFor(url: URL): Agent | undefined {
  return getProxyUrl(url.href) === '' ? undefined : proxyClient.getAgent(url.href)
}

export interface TextResponse {
  status: number
  headers: Headers
  text: string
}

/** The whole exchange, body included, must finish within `timeoutMs`. */
export async function fetchText(
  url: URL,
  init: RequestInit,
  timeoutMs: number
): Promise<TextResponse> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    const response = await fetch(url, requestInit(init, controller.signal))
    const text = await response.text()
    return { status: response.status, headers: response.headers, text }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The headers must arrive within `timeoutMs`; after that the body may take as long as it
 * needs, but not stall for `timeoutMs` (large downloads must not hit a total limit).
 */
export async function fetchStream(
  url: URL,
  init: RequestInit,
  timeoutMs: number
): Promise<Response> {
  const controller = new AbortController()
  const abort = (): void => controller.abort()
  const timer = setTimeout(abort, timeoutMs)
  let response: Response
  try {
    response = await fetch(url, requestInit(init, controller.signal))
  } finally {
    clearTimeout(timer)
  }
  if (response.body === null) return response
  const watched = pipeline(response.body, stallWatchdog(timeoutMs, abort), () => undefined)
  return new Response(watched, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers
  })
}

/** Passes the body through; aborts the request when no data came for `timeoutMs`. */
function stallWatchdog(timeoutMs: number, abort: () => void): Transform {
  // unref: a body nobody reads must not keep the process alive.
  const timer = setTimeout(abort, timeoutMs).unref()
  return new Transform({
    transform(chunk, _encoding, done) {
      timer.refresh()
      done(null, chunk)
    },
    flush(done) {
      clearTimeout(timer)
      done()
    },
    destroy(error, done) {
      clearTimeout(timer)
      done(error)
    }
  })
}

function requestInit(init: RequestInit, signal: AbortSignal): RequestInit {
  return { ...init, redirect: 'manual', signal, agent: agentFor }
}

/** Drops a body that will not be read, so its connection is released at once. */
export function discardBody(response: Response): void {
  ;(response.body as Readable | null)?.destroy()
}
