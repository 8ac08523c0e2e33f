import { join } from 'node:path'

/**
 * Where the Trusted Centre keeps its files, relative to the data directory (ARCHITECTURE.md,
 * Storage). Relative paths are what the database records, so the directory can move.
 */
export const dataLayout = {
  inbox: () => join('feeds', 'inbox'),
  rawFeed: (ssot: string, feed: string, receivedAt: Date, sha256: string, extension: string) =>
    join(
      'feeds',
      ssot,
      feed,
      `${receivedAt.toISOString().replace(/[-:.]/g, '')}-${sha256}.${extension}`,
    ),
  staging: (feed: string, runId: string) => join('staging', feed, `${runId}.parquet`),
  /** The delivery's rows as text while an ingest checks them; removed when it ends. */
  deliveredText: (feed: string, runId: string) =>
    join('staging', feed, `.${runId}.delivered.parquet.partial`),
  quarantine: (runId: string) => join('quarantine', `${runId}.parquet`),
  version: (slug: string, version: number) => join('tc', slug, `v${version}.parquet`),
  pendingVersion: (slug: string, runId: string) => join('tc', slug, `.${runId}.parquet.partial`),
  sample: (slug: string, version: number) => join('samples', slug, `v${version}.parquet`),
  pendingSample: (slug: string, runId: string) =>
    join('samples', slug, `.${runId}.parquet.partial`),
} as const
