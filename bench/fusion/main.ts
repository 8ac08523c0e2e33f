import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createDatasetStore } from '../../catalog/index.js'
import { migrateToLatest, openDatabase, openDuckDb } from '../../core/index.js'
import { generateFixtures } from '../../fixtures/index.js'
import { bindHmacKey, derivePseudonymKeys, hmacSql } from '../../keys/index.js'
import { MIGRATIONS, type Tables } from '../../server/index.js'
import { createTrustedCentre } from '../../trusted-centre/index.js'
import { barChart } from '../report/bar-chart.js'
import { emitSection } from '../report/bench-section.js'
import { median } from '../report/percentile.js'
import { maxRssMb } from '../report/process-memory.js'

// `npm run bench:fusion [-- --scale 200 --repeat 3]`: the Trusted Centre at a million persons. Fusion of
// persons × addresses through the pipeline (DuckDB SQL, quality checks, publication and sample)
// against the same joins written as one hand-written DuckDB statement, in the same process.
const { values } = parseArgs({
  options: { scale: { type: 'string', default: '200' }, repeat: { type: 'string', default: '3' } },
})
const scale = Number(values.scale)
const repeat = Number(values.repeat)
const dir = await mkdtemp(join(tmpdir(), 'portal-bench-'))
const say = (text: string) => process.stderr.write(`${text}\n`)
const seconds = (ms: number) => (ms / 1000).toFixed(2)
// A fixed test secret: the bench's pseudonyms mean nothing outside it.
const pseudonyms = derivePseudonymKeys(Buffer.alloc(32, 7))

try {
  say(`Generating fixtures at scale ${scale} …`)
  let t = performance.now()
  const manifest = await generateFixtures({ directory: join(dir, 'feeds'), seed: 42, scale })
  const generation = performance.now() - t
  const persons = manifest.feeds.find((f) => f.feed === 'dos_persons')?.rows ?? 0
  say(`  ${persons.toLocaleString('en')} person rows in ${seconds(generation)} s`)

  const db = await openDatabase<Tables>({ kind: 'pglite' })
  await migrateToLatest(db as never, MIGRATIONS)
  const duckdb = await openDuckDb({ threads: 2, memoryLimit: '4GB' })
  const catalog = createDatasetStore(db)
  const tc = createTrustedCentre({
    db,
    catalog,
    duckdb,
    dataDir: dir,
    pseudonyms,
  })

  say('Ingesting persons and addresses …')
  t = performance.now()
  await tc.ingest('sla_addresses', join(dir, 'feeds', 'sla_addresses.csv'))
  const ingestPersons = await tc.ingest('dos_persons', join(dir, 'feeds', 'dos_persons.csv'))
  const ingest = performance.now() - t
  say(`  ${ingestPersons.run.message} in ${seconds(ingest)} s`)

  const runs = await tc.listRuns()
  const staged = (feed: string) =>
    join(dir, runs.find((r) => r.subject === feed)?.stagingPath ?? '')
  // The pipeline's output written by hand as one statement over the staged files (only the two
  // tiny reference-table lookups, district and planning-area name, are left out).
  const handWritten = `
    COPY (
      WITH persons AS (SELECT * FROM read_parquet('${staged('dos_persons')}')),
           p AS (SELECT * FROM persons QUALIFY row_number() OVER (PARTITION BY uinfin ORDER BY record_updated_at DESC, _row DESC) = 1),
           c AS (SELECT uinfin, count(DISTINCT reg_postal) > 1 AS conflict FROM persons GROUP BY uinfin),
           a AS (SELECT * FROM read_parquet('${staged('sla_addresses')}') QUALIFY row_number() OVER (PARTITION BY postal ORDER BY _row DESC) = 1)
      SELECT left(${hmacSql('person_key', 'p.uinfin')}, 32) AS person_key,
             CASE WHEN date_part('year', age(DATE '2025-06-30', p.dob)) < 18 THEN '0-17'
                  WHEN date_part('year', age(DATE '2025-06-30', p.dob)) < 35 THEN '18-34'
                  WHEN date_part('year', age(DATE '2025-06-30', p.dob)) < 50 THEN '35-49'
                  WHEN date_part('year', age(DATE '2025-06-30', p.dob)) < 65 THEN '50-64' ELSE '65+' END AS age_band,
             p.sex, p.race_code, p.residential_status, p.reg_postal AS postal_code, substr(p.reg_postal, 1, 2) AS postal_sector,
             a.planning_area_code, a.region_code,
             CASE WHEN a.postal IS NULL THEN 'UNMATCHED' ELSE 'SLA_MATCHED' END AS address_source, c.conflict AS address_conflict,
             list_filter([CASE WHEN a.postal IS NULL THEN 'postal_not_in_sla' END, CASE WHEN c.conflict THEN 'conflicting_addresses' END,
                          CASE WHEN a.postal IS NOT NULL AND a.latitude IS NULL THEN 'no_geocode' END], f -> f IS NOT NULL) AS dq_flags,
             p._run || '#' || p._row AS person_source, a._run || '#' || a._row AS address_source_record
      FROM p JOIN c USING (uinfin) LEFT JOIN a ON a.postal = p.reg_postal
      ORDER BY person_key
    ) TO '${join(dir, 'hand-written.parquet')}' (FORMAT parquet, COMPRESSION zstd)`

  const pipelineTimes: number[] = []
  const sampleTimes: number[] = []
  const baselineTimes: number[] = []
  for (let i = 0; i < repeat; i++) {
    const conn = await duckdb.connect()
    // Keyed as the pipeline keys it, so both compute the same HMAC per person.
    await bindHmacKey(conn, 'person_key', pseudonyms.keyOf('person'))
    t = performance.now()
    await conn.run(handWritten)
    baselineTimes.push(performance.now() - t)
    conn.closeSync()
    // Each pipeline run must publish: remove the version so the content is new again.
    await db.deleteFrom('dataset_samples').execute()
    await db.deleteFrom('dataset_versions').execute()
    const [result] = await tc.fuse('person_address_pa')
    const timings = result?.timings ?? { fuseMs: 0, qualityMs: 0, publishMs: 0, sampleMs: 0 }
    pipelineTimes.push(timings.fuseMs + timings.qualityMs + timings.publishMs)
    sampleTimes.push(timings.sampleMs)
    say(
      `  round ${i + 1}: hand-written ${seconds(baselineTimes.at(-1) ?? 0)} s; pipeline SQL ${seconds(timings.fuseMs)} s + quality ${seconds(timings.qualityMs)} s + publish ${seconds(timings.publishMs)} s; then sample ${seconds(timings.sampleMs)} s`,
    )
    await rm(join(dir, 'tc'), { recursive: true, force: true })
    await rm(join(dir, 'samples'), { recursive: true, force: true })
  }
  const ratio = median(pipelineTimes) / median(baselineTimes)
  const ingestRate = Math.round(persons / (ingest / 1000))
  const peakRss = maxRssMb()
  const versionMb = (await stat(join(dir, 'hand-written.parquet'))).size / 1e6
  const rows = [
    ['persons delivered', persons.toLocaleString('en'), ''],
    ['fixture generation', `${seconds(generation)} s`, ''],
    [
      'ingest persons + addresses (quarantine checks)',
      `${seconds(ingest)} s`,
      `${ingestRate.toLocaleString('en')} rows/s`,
    ],
    ['hand-written DuckDB fusion (median)', `${seconds(median(baselineTimes))} s`, 'baseline'],
    [
      'pipeline fusion: SQL, quality checks, publication (median)',
      `${seconds(median(pipelineTimes))} s`,
      `**${ratio.toFixed(2)}×** the baseline (target ≤ 1.3×)`,
    ],
    [
      'k-anonymous sample of the new version (median)',
      `${seconds(median(sampleTimes))} s`,
      'after publication',
    ],
    ['peak memory of the process (RSS)', `${peakRss} MB`, ''],
    ['published version size', `${versionMb.toFixed(1)} MB (hand-written)`, ''],
  ]
  const table = [
    '| measure | value | note |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
  const inSeconds = (ms: number) => Number((ms / 1000).toFixed(3))
  await emitSection({
    id: 'fusion',
    title: `Trusted Centre fusion at scale ${scale}`,
    markdown: table,
    figures: [
      {
        key: 'fusion.persons',
        label: 'fusion: persons delivered',
        value: persons,
        unit: 'rows',
        better: 'none',
      },
      {
        key: 'fusion.ingest.seconds',
        label: 'fusion: ingest persons + addresses',
        value: inSeconds(ingest),
        unit: 's',
        better: 'lower',
      },
      {
        key: 'fusion.ingest.rows_per_second',
        label: 'fusion: ingest rate',
        value: ingestRate,
        unit: 'rows/s',
        better: 'higher',
      },
      {
        key: 'fusion.baseline.seconds',
        label: 'fusion: hand-written DuckDB (median)',
        value: inSeconds(median(baselineTimes)),
        unit: 's',
        better: 'lower',
      },
      {
        key: 'fusion.pipeline.seconds',
        label: 'fusion: pipeline (median)',
        value: inSeconds(median(pipelineTimes)),
        unit: 's',
        better: 'lower',
      },
      {
        key: 'fusion.ratio',
        label: 'fusion: pipeline ÷ hand-written',
        value: Number(ratio.toFixed(3)),
        unit: '×',
        better: 'lower',
      },
      {
        key: 'fusion.sample.seconds',
        label: 'fusion: k-anonymous sample (median)',
        value: inSeconds(median(sampleTimes)),
        unit: 's',
        better: 'lower',
      },
      {
        key: 'fusion.peak_rss_mb',
        label: 'fusion: peak memory (RSS)',
        value: peakRss,
        unit: 'MB',
        better: 'lower',
      },
    ],
    charts: [
      {
        title: 'Fusion of persons × addresses (median seconds)',
        svg: await barChart('Fusion of persons × addresses (median seconds)', [
          ['hand-written SQL', median(baselineTimes) / 1000],
          ['pipeline', median(pipelineTimes) / 1000],
        ]),
      },
    ],
  })
  await db.destroy()
  duckdb.closeSync()
} finally {
  await rm(dir, { recursive: true, force: true })
}
