// The loopback server helper under both simulators and the unit tests' route server.
import { afterEach, describe, expect, it } from '@jest/globals'
import { sendResponse, startLoopbackServer } from '../../test/sim/server.mjs'
import type { Handle, IncomingRequest, LoopbackServer } from '../../test/sim/server.mjs'

let server: LoopbackServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function serve(handle: Handle, host?: string): Promise<LoopbackServer> {
  server = await startLoopbackServer(host ? { host, handle } : { handle })
  return server
}

describe('startLoopbackServer', () => {
  it('hands the handler the request as sent, resolved against the origin it is known by', async () => {
    const seen: IncomingRequest[] = []
    const { origin, port } = await serve(request => {
      seen.push(request)
      return { status: 204 }
    }, 'localhost')
    expect(origin).toBe(`http://localhost:${port}`)

    await fetch(`http://127.0.0.1:${port}/api/v2/runs?page%5Bsize%5D=5`, {
      method: 'POST',
      headers: { 'x-probe': 'yes' },
      body: 'payload'
    })
    expect(seen).toHaveLength(1)
    expect(seen[0].method).toBe('POST')
    expect(seen[0].target).toBe('/api/v2/runs?page%5Bsize%5D=5')
    expect(seen[0].url.origin).toBe(origin)
    expect(seen[0].url.searchParams.get('page[size]')).toBe('5')
    expect(seen[0].headers['x-probe']).toBe('yes')
    expect(seen[0].body).toBe('payload')
  })

  it.each([
    ['an object, as JSON', { data: { id: 'run-1' } }, '{"data":{"id":"run-1"}}'],
    ['a string, as is', 'plain ✓ text', 'plain ✓ text'],
    ['no body, as empty', undefined, '']
  ])('declares the Content-Length of %s', async (_name, body, expected) => {
    const { origin } = await serve(() => ({ status: 200, body }))
    const response = await fetch(origin)
    const text = await response.text()
    expect(text).toBe(expected)
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(expected)))
  })

  it('lets the answer set a header in any case, once', async () => {
    const { origin } = await serve(() => ({
      status: 200,
      headers: { 'Content-Type': 'text/html', 'CONTENT-LENGTH': '2' },
      body: 'ok'
    }))
    const response = await fetch(origin)
    expect(response.headers.get('content-type')).toBe('text/html')
    expect(response.headers.get('content-length')).toBe('2')
  })

  it('answers 500 naming the error when the handler throws', async () => {
    const { origin } = await serve(() => {
      throw new Error('route table broken')
    })
    const response = await fetch(origin)
    expect(response.status).toBe(500)
    expect(await response.text()).toContain('route table broken')
  })

  it('leaves the response to a handler that writes it itself', async () => {
    const { origin } = await serve((request, response) => {
      if (request.url.pathname === '/reset') response.socket?.destroy()
      else response.writeHead(418).end('teapot')
    })
    const own = await fetch(origin)
    expect(own.status).toBe(418)
    expect(await own.text()).toBe('teapot')
    await expect(fetch(`${origin}/reset`)).rejects.toThrow()
  })

  it('stops waiting requests when it closes', async () => {
    let sleeping = false
    const started = await serve(async () => {
      sleeping = true
      await started.sleep(60_000)
      return { status: 200, body: 'too late' }
    })
    const pending = fetch(started.origin)
    while (!sleeping) await new Promise(resolve => setTimeout(resolve, 5))
    const closing = Date.now()
    await started.close()
    server = undefined
    expect(Date.now() - closing).toBeLessThan(5_000)
    await expect(pending).rejects.toThrow()
  })
})

describe('sendResponse', () => {
  it('truncates: half the body under the full Content-Length, then the connection drops', async () => {
    const body = 'x'.repeat(10_000)
    const { origin } = await serve((_request, response) => {
      sendResponse(response, { status: 200, body }, { truncate: true })
    })
    const response = await fetch(origin)
    expect(response.headers.get('content-length')).toBe(String(body.length))
    await expect(response.text()).rejects.toThrow()
  })
})
