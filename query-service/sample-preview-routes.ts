import { Hono } from 'hono'
import type { SamplePreview } from '../disclosure/index.js'
import { type RouteEnv, serve, signedInUser } from '../identity/index.js'
import { getSamplePreview } from './sample-preview-api.js'
import type { SamplePreviews } from './sample-previews.js'

/** `/:id/versions/:version/preview`, mounted under /api/datasets: the kept file's rows. */
export const samplePreviewRoutes = (previews: SamplePreviews) =>
  new Hono<RouteEnv>().route(
    '/',
    serve(getSamplePreview, async (c) => {
      const { id, version } = c.req.valid('param')
      const caller = signedInUser(c, 'Sign in to see samples')
      const preview = await previews.read(caller, c.get('ability'), id, version)
      return c.json({ ok: true as const, data: JSON.parse(preview) as SamplePreview }, 200, {
        'cache-control': 'private, no-cache',
      })
    }),
  )
