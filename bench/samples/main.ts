import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Kysely } from 'kysely'
import { createDatasetStore, type DatasetDetail } from '../../catalog/index.js'
import { migrateToLatest, openDatabase, openDuckDb } from '../../core/index.js'
import type { SampleReport } from '../../disclosure/index.js'
import { fixtureSizes, generateFixtures } from '../../fixtures/index.js'
import { systemAbility } from '../../identity/index.js'
import { derivePseudonymKeys } from '../../keys/index.js'
import { MIGRATIONS, type Tables } from '../../server/index.js'
import { openTestRuntime } from '../../testing/index.js'
import {
  createTrustedCentre,
  dataLayout,
  PERSON_ADDRESS_PIPELINE,
  PIPELINES,
} from '../../trusted-centre/index.js'
import { emitSection } from '../report/bench-section.js'
import { compareSamples, type SampleComparison, sampleColumnsOf } from './sample-comparison.js'
import { ms, percent, samplesSection } from './samples-section.js'

// `npm run bench:samples [-- --scale 200 --repeat 3 --k 5]`: the sample generaliser before
// issue 20 (bench/samples/legacy-generaliser.ts) against the disclosure module's, on every fixture
// dataset that gets a sample (scale 1) and on the persons dataset at `--scale`, over the same
// drawn rows, with one information-loss metric for both.
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '200' },
    repeat: { type: 'string', default: '3' },
    k: { type: 'string', default: '5' },
  },
})
const SCALE = Number(values.scale)
const REPEAT = Number(values.repeat)
const K = Number(values.k)
const PERSONS = PERSON_ADDRESS_PIPELINE.dataset.slug
const say = (text: string) => process.stderr.write(`${text}\n`)
// A fixed test secret, so person keys, and with them the rows drawn, are the same every run.
const PSEUDONYM_SECRET = createHash('sha256').update('bench-samples').digest()

const dir = await mkdtemp(join(tmpdir(), 'portal-bench-samples-'))
try {
  const comparisons: SampleComparison[] = []
  say(`Fixture data at scale 1, every pipeline fused (k = ${K}) …`)
  const runtime = await openTestRuntime({
    backend: 'pglite',
    scale: 1,
    env: { SAMPLE_K: String(K), PSEUDONYM_KEY: PSEUDONYM_SECRET.toString('hex') },
  })
  try {
    for (const listed of await runtime.catalog.listDatasets(systemAbility())) {
      const dataset = await runtime.catalog.findDataset(listed.id, systemAbility())
      if (dataset?.currentVersion?.sample?.status !== 'published') continue
      if (!PIPELINES.some((p) => p.dataset.slug === dataset.slug)) continue
      comparisons.push(await compare(dataset, dataset.slug, runtime.duckdb, runtime.dataDir))
    }
  } finally {
    await runtime.dispose()
  }

  say(`Persons alone at fixture scale ${SCALE} …`)
  const big = await personsAtScale(SCALE)
  comparisons.push(big)

  await emitSection(
    await samplesSection(comparisons, { k: K, scale: SCALE, repeat: REPEAT, persons: PERSONS }),
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}

/** Both generalisers on the current version of a dataset, reported as they go. */
async function compare(
  dataset: DatasetDetail,
  label: string,
  duckdb: Parameters<typeof compareSamples>[0]['duckdb'],
  dataDir: string,
): Promise<SampleComparison> {
  const pipeline = PIPELINES.find((p) => p.dataset.slug === dataset.slug)
  const version = dataset.currentVersion
  if (!pipeline || !version) throw new Error(`No pipeline or version for ${dataset.slug}`)
  const scratch = join(dir, 'samples', label)
  await mkdir(scratch, { recursive: true })
  const sample = version.sample
  const result = await compareSamples({
    label,
    duckdb,
    source: join(dataDir, dataLayout.version(dataset.slug, version.version)),
    versionRows: version.rowCount,
    columns: sampleColumnsOf(dataset),
    pipeline,
    k: K,
    repeat: REPEAT,
    scratch,
    published: sample?.status === 'published' ? (sample.details.report as SampleReport) : undefined,
  })
  say(
    `  ${label}: loss ${percent(result.old.loss)} → ${percent(result.new.loss)}, suppressed ${result.old.suppressedRows} → ${result.new.suppressedRows}, time ${ms(result.old.ms)} → ${ms(result.new.ms)}${result.matchesPublished === false ? ' (differs from the published sample!)' : ''}`,
  )
  return result
}

/** The persons pipeline alone over persons and addresses at `scale` (other feeds tiny). */
async function personsAtScale(scale: number): Promise<SampleComparison> {
  const feeds = join(dir, 'feeds')
  const sizes = fixtureSizes(scale)
  await generateFixtures({
    directory: feeds,
    seed: 42,
    scale,
    sizes: { ...fixtureSizes(1), persons: sizes.persons, addresses: sizes.addresses },
  })
  const db = await openDatabase<Tables>({ kind: 'pglite' })
  await migrateToLatest(db as Kysely<unknown>, MIGRATIONS)
  const duckdb = await openDuckDb({ threads: 2, memoryLimit: '2GB' })
  try {
    const catalog = createDatasetStore(db)
    const dataDir = join(dir, 'tc-data')
    const tc = createTrustedCentre({
      db,
      catalog,
      duckdb,
      dataDir,
      pseudonyms: derivePseudonymKeys(PSEUDONYM_SECRET),
      sampleK: K,
    })
    await tc.ingest('sla_addresses', join(feeds, 'sla_addresses.csv'))
    const persons = await tc.ingest('dos_persons', join(feeds, 'dos_persons.csv'))
    say(`  ${persons.run.message}`)
    await tc.fuse(PERSON_ADDRESS_PIPELINE.id)
    const listed = (await catalog.listDatasets(systemAbility())).find((d) => d.slug === PERSONS)
    const dataset = listed && (await catalog.findDataset(listed.id, systemAbility()))
    if (!dataset) throw new Error(`${PERSONS} was not published at scale ${scale}`)
    return await compare(dataset, `${PERSONS} at scale ${scale}`, duckdb, dataDir)
  } finally {
    duckdb.closeSync()
    await db.destroy()
  }
}
