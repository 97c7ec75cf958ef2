// A loopback HTTP server driven by a route table, recording every request with its headers.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import { startLoopbackServer } from '../../test/sim/server.mjs'
import type { SimResponse } from '../../test/sim/server.mjs'

export interface RecordedRequest {
  method: string
  /** Path and query, as sent. */
  url: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
}

/** An answer: a string body is sent as is, anything else as JSON. */
export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/**
 * Answers one request: returns a Reply, or writes to `response` itself and returns nothing
 * (to reset the connection, never answer, or send a body that lies about its length).
 */
export type Handler = (
  request: RecordedRequest,
  params: Record<string, string>,
  response: ServerResponse
) => Reply | void | Promise<Reply | void>

/** One handler, or a script of handlers used in turn (the last one repeats). */
export type Route = Handler | Handler[]

export interface RouteServer {
  /** `http://127.0.0.1:<port>`, or `http://localhost:<port>` when asked for. */
  origin: string
  port: number
  requests: RecordedRequest[]
  /** Sets or replaces the route for `METHOD /path/:param` and restarts its script. */
  route(key: string, route: Route): void
  /** Requests to one path (query ignored). */
  requestsTo(path: string): RecordedRequest[]
  close(): Promise<void>
}

interface CompiledRoute {
  method: string
  pattern: RegExp
  names: string[]
  route: Route
  calls: number
}

export async function startRouteServer(
  routes: Record<string, Route> = {},
  options: { hostname?: '127.0.0.1' | 'localhost' } = {}
): Promise<RouteServer> {
  const table: CompiledRoute[] = []
  const requests: RecordedRequest[] = []
  const setRoute = (key: string, route: Route): void => {
    const compiled = compile(key, route)
    const index = table.findIndex(
      entry => entry.method === compiled.method && entry.pattern.source === compiled.pattern.source
    )
    if (index >= 0) table[index] = compiled
    else table.push(compiled)
  }
  for (const [key, route] of Object.entries(routes)) setRoute(key, route)

  const server = await startLoopbackServer({
    host: options.hostname ?? '127.0.0.1',
    handle: async (incoming, response) => {
      const recorded: RecordedRequest = {
        method: incoming.method,
        url: incoming.target,
        path: incoming.url.pathname,
        query: incoming.url.searchParams,
        headers: incoming.headers,
        body: incoming.body
      }
      requests.push(recorded)
      for (const entry of table) {
        const match = entry.method === recorded.method ? entry.pattern.exec(recorded.path) : null
        if (match === null) continue
        const params = Object.fromEntries(
          entry.names.map((name, i) => [name, decodeURIComponent(match[i + 1])])
        )
        const handler = Array.isArray(entry.route)
          ? entry.route[Math.min(entry.calls, entry.route.length - 1)]
          : entry.route
        entry.calls++
        const reply = await handler(recorded, params, response)
        return reply ? withContentType(reply) : undefined
      }
      return withContentType({
        status: 404,
        body: {
          errors: [{ status: '404', title: 'not found', detail: `no route ${recorded.path}` }]
        }
      })
    }
  })
  return {
    origin: server.origin,
    port: server.port,
    requests,
    route: setRoute,
    requestsTo: path => requests.filter(request => request.path === path),
    close: server.close
  }
}

function compile(key: string, route: Route): CompiledRoute {
  const [method, path] = key.split(' ')
  const names: string[] = []
  const source = path
    .split('/')
    .map(segment => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      names.push(segment.slice(1))
      return '([^/]+)'
    })
    .join('/')
  return { method, pattern: new RegExp(`^${source}$`), names, route, calls: 0 }
}

/** A string body goes as plain text, anything else as JSON:API, unless the reply says otherwise. */
function withContentType({ status, body, headers = {} }: Reply): SimResponse {
  if (body === undefined) return { status, headers }
  const contentType = typeof body === 'string' ? 'text/plain' : 'application/vnd.api+json'
  return { status, body, headers: { 'Content-Type': contentType, ...headers } }
}

/** Handlers for common answers. */
export const reply = {
  with:
    (status: number, body?: unknown, headers?: Record<string, string>): Handler =>
    () => ({ status, body, headers }),
  redirect:
    (location: string, status = 307): Handler =>
    () => ({ status, headers: { Location: location } }),
  /** Drops the connection without an answer. */
  reset: (): Handler => (_request, _params, response) => {
    response.socket?.destroy()
  },
  /** Never answers. */
  hang: (): Handler => () => undefined
}
