import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import type { RouteEnv } from '../identity/index.js'

/**
 * Serves the built portal: its files as they are, and `index.html` for any other path so that
 * client-side routes (e.g. /datasets/<slug>) load on refresh.
 */
export function staticPortal(directory: string) {
  const app = new Hono<RouteEnv>()
  const index = join(directory, 'index.html')
  if (!existsSync(index)) {
    return app.get('*', (c) =>
      c.text(
        'The portal is not built yet: run `npm run build:portal` (npm start does it for you).',
        503,
      ),
    )
  }
  return app
    .use('/assets/*', async (c, next) => {
      await next()
      // Vite puts a content hash in every asset name, so they never change.
      if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable')
    })
    .use('*', serveStatic({ root: directory }))
    .get('*', async (c) => {
      c.header('Cache-Control', 'no-cache')
      return c.html(await readFile(index, 'utf8'))
    })
}
