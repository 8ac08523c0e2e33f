import { readFile } from 'node:fs/promises'
import { isAbsolute, join, normalize, sep } from 'node:path'
import { type DuckDBInstance, withConnection } from '../core/index.js'
import { samplePreviewPath, writeSamplePreview } from '../disclosure/index.js'
import type { AppAbility, User } from '../identity/index.js'
import { entitledFile } from './entitled-file.js'
import type { ReadEntitlements } from './read-entitlements.js'

/**
 * The first rows of each published sample, as dataset pages show them: read from the small file
 * the Trusted Centre keeps beside the sample (written at its publication), never by a query, so a
 * page view takes no turn in the query pool and runs no engine. A sample published before
 * previews were kept has its file made once, from the sample, on its first reading.
 */
export function createSamplePreviews(options: {
  dataDir: string
  /** The server's own DuckDB: reads a sample once to make a missing preview. */
  engine: DuckDBInstance
  /** The caller's entitlements, asked for one dataset at a time. */
  entitlements: ReadEntitlements
  now: () => Date
}) {
  const making = new Map<string, Promise<unknown>>()
  let made = 0
  const inside = (relative: string) => {
    const path = normalize(join(options.dataDir, relative))
    if (isAbsolute(relative) || !path.startsWith(normalize(options.dataDir) + sep))
      throw new Error(`'${relative}' is outside the data directory`)
    return path
  }
  /** Makes the preview from the sample, once however many ask at the same moment. */
  const make = (sample: string, preview: string) => {
    let pending = making.get(preview)
    if (!pending) {
      pending = withConnection(
        () => options.engine.connect(),
        (conn) => writeSamplePreview(conn, sample, preview),
      )
        .then(() => {
          made++
        })
        .finally(() => making.delete(preview))
      making.set(preview, pending)
    }
    return pending
  }
  return {
    /**
     * The preview of `version`'s sample of `dataset` (its id or slug) as JSON text
     * (`{ columns, rows, rowCount }`), for whoever may download that sample; NotFoundError otherwise.
     */
    async read(user: User, ability: AppAbility, dataset: string, version: number) {
      const entitlements = await options.entitlements(user, ability, options.now(), { dataset })
      const { file } = entitledFile(entitlements, { dataset, scope: 'sample', version })
      const sample = inside(file.path)
      const preview = samplePreviewPath(sample)
      const kept = await readIfPresent(preview)
      if (kept !== undefined) return kept
      await make(sample, preview)
      return readFile(preview, 'utf8')
    },

    /** Previews made from a sample's file by this process (those not kept at publication). */
    made: () => made,
  }
}

export type SamplePreviews = ReturnType<typeof createSamplePreviews>

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
