// A forward proxy on loopback that tunnels CONNECT requests (what @actions/http-client sends
// through HTTPS_PROXY/HTTP_PROXY) to a loopback port, whatever host name the client asked for.
import { createServer } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'

export interface ConnectProxy {
  url: string
  /** The `host:port` of every CONNECT, in order. */
  tunnels: string[]
  close(): Promise<void>
}

export async function startConnectProxy(targetPort: number): Promise<ConnectProxy> {
  const tunnels: string[] = []
  // Tunnelled sockets leave the HTTP server's bookkeeping, so close() must end them itself.
  const sockets = new Set<Duplex>()
  const server = createServer((_request, response) => {
    response.writeHead(405)
    response.end()
  })
  server.on('connect', (request, client, head) => {
    tunnels.push(request.url ?? '')
    const upstream = connect(targetPort, '127.0.0.1', () => {
      sockets.add(client)
      sockets.add(upstream)
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
