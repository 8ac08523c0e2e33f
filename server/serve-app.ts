import { type ServerType, serve } from '@hono/node-server'
import { AppError } from '../core/index.js'
import { createApp } from './app.js'
import { appDepsOf, type Runtime } from './runtime.js'

export interface RunningServer {
  url: string
  close(): Promise<void>
}

/** Serves the API and portal on the configured host and port. */
export async function serveApp(
  runtime: Runtime,
  port = runtime.config.PORT,
): Promise<RunningServer> {
  const app = createApp(appDepsOf(runtime))
  const host = runtime.config.HOST
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port, hostname: host })
    started.once('listening', () => resolve(started))
    started.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `Port ${port} on ${host} is already in use: stop the other process or set PORT`
          : `Cannot listen on ${host}:${port}: ${error.message}`
      reject(new AppError('invalid_config', reason, { cause: error }))
    })
  })
  const address = server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host
  return {
    url: `http://${shownHost}:${actualPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  }
}
