import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A webhook receiver listening on localhost, and what reached it. */
export interface Receiver {
  url: string
  port: number
  received: { headers: IncomingHttpHeaders; body: string }[]
  connections: () => number
  requests: () => number
  close: () => Promise<void>
}

/**
 * A real receiver on localhost that fails its first delivery, as a flaky agency system might.
 * It counts every connection made to it, TLS or not, even one that never becomes a request, and
 * every request whose head arrived, even one whose body never did.
 */
export function startReceiver({
  failFirst = true,
  answer = (res: ServerResponse) => void res.writeHead(204).end(),
} = {}): Promise<Receiver> {
  const received: Receiver['received'] = []
  let calls = 0
  let connections = 0
  let requests = 0
  const server: Server = createServer((req, res) => {
    requests++
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      calls++
      if (calls === 1 && failFirst) {
        res.writeHead(500).end('receiver down')
        return
      }
      received.push({ headers: req.headers, body })
      answer(res)
    })
  })
  server.on('connection', () => {
    connections++
  })
  return new Promise<Receiver>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}/portal-events`,
        port,
        received,
        connections: () => connections,
        requests: () => requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    }),
  )
}
