import { createHash, randomUUID } from 'node:crypto'
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { Kysely } from 'kysely'
import {
  type AccessTables,
  type CoreFieldAvailability,
  coreFieldAvailability,
  type SharingRecord,
  sharingRecords,
} from '../access/index.js'
import { currentVersionFiles, type DatasetStore } from '../catalog/index.js'
import {
  type DuckDBInstance,
  type Logger,
  quoteIdent,
  quoteLiteral,
  readRows,
  sha256File,
  withConnection,
} from '../core/index.js'
import { PORTAL_NAMESPACE, runEvent } from '../lineage/index.js'
import { canonicalJson } from '../text/index.js'
import { KPI_DEFINITIONS } from './kpi-definition.js'
import { KPI_HISTORY_DATASET } from './kpi-history-dataset.js'
import type { StoredComputation } from './kpi-reads.js'
import { type KpiRow, periodLabel } from './kpi-row.js'
import { kpiStatus } from './kpi-status.js'
import type { KpiInput, KpiTables } from './kpi-tables.js'
import {
  coreFieldsByApi,
  endOfPeriod,
  endOfYear,
  highImpactProjects,
  timeToShare,
  yearOf,
} from './platform-kpis.js'
import { REGISTER_KPI_SQL } from './register-kpi-sql.js'

/** The first full year of the Digital Government Blueprint (launched June 2018). */
export const KPI_FIRST_YEAR = 2019

export interface KpiEngineDeps {
  db: Kysely<KpiTables & AccessTables>
  catalog: DatasetStore
  duckdb: DuckDBInstance
  /** Published files are under it; the KPI history dataset is written there too. */
  dataDir: string
  log: Logger
  now: () => Date
  /** Where the computation's OpenLineage events go (the lineage emitter on a server). */
  lineage?: { record(event: ReturnType<typeof runEvent>): Promise<unknown> }
}

export interface KpiTrigger {
  kind: 'fusion' | 'on demand' | 'start'
  actor: string
}

/** A computation as it ran: what it read, and its values per KPI number. */
export type KpiComputation = Omit<StoredComputation, 'checkedAt'> & {
  values: Map<number, KpiRow[]>
}

/** A view name for a dataset slug: `digital-services-register` → `digital_services_register`. */
const viewName = (slug: string) => slug.replaceAll('-', '_')

/**
 * Computes all 15 KPIs for every year from KPI_FIRST_YEAR to now: the register KPIs by their SQL
 * over the current versions of their catalogue datasets (read by DuckDB, as any reader would),
 * the platform KPIs from the access workflow and the catalogue; records each value with its
 * target and status, and the computation with the exact versions it read; publishes the totals
 * as the KPI history dataset; reports the run to lineage. One at a time per process.
 */
export function createKpiEngine(deps: KpiEngineDeps) {
  let running: Promise<unknown> = Promise.resolve()

  async function registerRows(inputs: KpiInput[], paths: Map<string, string>, years: number[]) {
    const values = new Map<number, KpiRow[]>()
    await withConnection(
      () => deps.duckdb.connect(),
      async (conn) => {
        await conn.run(
          `CREATE OR REPLACE TEMP TABLE years AS SELECT range::INTEGER AS year FROM range(${years[0]}, ${(years.at(-1) as number) + 1})`,
        )
        for (const input of inputs)
          await conn.run(
            `CREATE OR REPLACE TEMP VIEW ${quoteIdent(viewName(input.slug))} AS SELECT * FROM read_parquet(${quoteLiteral(paths.get(input.slug) as string)})`,
          )
        const have = new Set(inputs.map((i) => i.slug))
        for (const definition of KPI_DEFINITIONS) {
          const sql = REGISTER_KPI_SQL[definition.number]
          if (!sql) continue
          // A KPI whose datasets are not published yet has no values (rather than wrong ones).
          if (!definition.datasets.every((slug) => have.has(slug))) continue
          const rows = await readRows<{
            year: number
            by: KpiRow['by']
            group: string
            value: number
            numerator: number | string
            denominator: number | string
          }>(conn, sql)
          values.set(
            definition.number,
            rows
              .map((r) => ({
                year: Number(r.year),
                quarter: 0,
                by: r.by,
                group: r.group,
                value: Number(r.value),
                numerator: Number(r.numerator),
                denominator: Number(r.denominator),
              }))
              .filter((r) => years.includes(r.year)),
          )
        }
      },
    )
    return values
  }

  /** Writes the totals as Parquet and publishes them as the KPI history dataset. */
  async function publishHistory(id: string, rows: Record<string, unknown>[]) {
    const pending = join(deps.dataDir, 'kpi', `.${id}.parquet.partial`)
    const json = `${pending}.json`
    await mkdir(dirname(pending), { recursive: true })
    try {
      await writeFile(json, rows.map((r) => JSON.stringify(r)).join('\n'))
      const schema = await withConnection(
        () => deps.duckdb.connect(),
        async (conn) => {
          await conn.run(
            `COPY (SELECT * FROM read_json(${quoteLiteral(json)}, format = 'newline_delimited', columns = {number: 'INTEGER', wording: 'VARCHAR', year: 'INTEGER', period: 'VARCHAR', value: 'DOUBLE', unit: 'VARCHAR', target: 'VARCHAR', status: 'VARCHAR', numerator: 'DOUBLE', denominator: 'DOUBLE', inputs: 'VARCHAR'}) ORDER BY number, period) TO ${quoteLiteral(pending)} (FORMAT parquet)`,
          )
          return readRows<{ column_name: string; column_type: string }>(
            conn,
            `DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(pending)})`,
          )
        },
      )
      const publication = await deps.catalog.publishVersion(
        KPI_HISTORY_DATASET,
        {
          rowCount: rows.length,
          byteSize: (await stat(pending)).size,
          contentSha256: await sha256File(pending),
          schema: schema.map((c) => ({ name: c.column_name, type: c.column_type })),
          runId: id,
        },
        async (version) => {
          const path = join('kpi', KPI_HISTORY_DATASET.slug, `v${version}.parquet`)
          await mkdir(dirname(join(deps.dataDir, path)), { recursive: true })
          await rename(pending, join(deps.dataDir, path))
          return path
        },
      )
      return publication
    } finally {
      await rm(pending, { force: true })
      await rm(json, { force: true })
    }
  }

  async function compute(trigger: KpiTrigger): Promise<KpiComputation> {
    const id = `kpi_${randomUUID()}`
    const now = deps.now()
    const currentYear = yearOf(now)
    const years = Array.from(
      { length: currentYear - KPI_FIRST_YEAR + 1 },
      (_, i) => KPI_FIRST_YEAR + i,
    )
    const slugs = [...new Set(KPI_DEFINITIONS.flatMap((d) => d.datasets))]
    const files = await currentVersionFiles(deps.db, slugs)
    const inputs: KpiInput[] = files.map((f) => ({
      slug: f.slug,
      datasetId: f.datasetId,
      title: f.title,
      version: f.version,
      contentSha256: f.contentSha256,
      runId: f.runId,
      publishedAt: f.publishedAt.toISOString(),
    }))
    const paths = new Map(files.map((f) => [f.slug, resolve(deps.dataDir, f.path)]))
    /** This computation as a lineage run: it reads the KPI datasets, and may write the history. */
    const lineageEvent = (eventType: 'START' | 'COMPLETE', outputs: string[] = []) =>
      deps.lineage?.record(
        runEvent({
          eventType,
          eventTime: eventType === 'START' ? now : deps.now(),
          runId: id,
          job: { name: 'kpi.compute', type: 'KPI' },
          inputs: inputs.map((i) => ({ namespace: PORTAL_NAMESPACE, name: i.slug })),
          outputs: outputs.map((name) => ({ namespace: PORTAL_NAMESPACE, name })),
        }),
      )
    await lineageEvent('START')

    const values = await registerRows(inputs, paths, years)
    const records: SharingRecord[] = await sharingRecords(deps.db, {
      from: new Date(`${KPI_FIRST_YEAR}-01-01T00:00:00+08:00`),
      to: endOfYear(currentYear),
    })
    const fields: CoreFieldAvailability[] = await coreFieldAvailability(deps.db)
    values.set(12, highImpactProjects(records))
    values.set(13, coreFieldsByApi(fields, years))
    values.set(14, timeToShare(records))

    const history: Record<string, unknown>[] = []
    const valueRows = KPI_DEFINITIONS.flatMap((definition) =>
      (values.get(definition.number) ?? [])
        .filter((row) => row.by === '' || definition.breakdowns.includes(row.by))
        .map((row) => {
          const closed = endOfPeriod(row.year, row.quarter) <= now
          const target = row.by ? definition.groupTarget : definition.target
          const status = target ? kpiStatus(definition, row.value, closed, target) : ''
          if (!row.by)
            history.push({
              number: definition.number,
              wording: definition.wording,
              year: row.year,
              period: periodLabel(row.year, row.quarter),
              value: row.value,
              unit: definition.unit,
              target: definition.targetText,
              status,
              numerator: row.numerator,
              denominator: row.denominator,
              inputs: inputs
                .filter((i) => definition.datasets.includes(i.slug))
                .map((i) => `${i.slug}@v${i.version}`)
                .join(' '),
            })
          return {
            computation_id: id,
            number: definition.number,
            year: row.year,
            quarter: row.quarter,
            breakdown: row.by,
            member: row.group,
            value: row.value,
            numerator: row.numerator,
            denominator: row.denominator,
            target: target ? JSON.stringify(target) : null,
            status,
            closed,
          }
        }),
    )
    const platformRecords = {
      sharingRecords: records.length,
      coreFields: fields.length,
    }
    const contentSha256 = createHash('sha256')
      .update(
        canonicalJson({
          inputs: inputs.map(({ slug, version, contentSha256 }) => ({
            slug,
            version,
            contentSha256,
          })),
          platformRecords,
          // In a fixed order: DuckDB returns grouping sets in whatever order its threads finish.
          values: valueRows
            .map(({ computation_id: _, ...row }) => row)
            .sort((a, b) =>
              `${a.number}|${a.year}|${a.quarter}|${a.breakdown}|${a.member}`.localeCompare(
                `${b.number}|${b.year}|${b.quarter}|${b.breakdown}|${b.member}`,
              ),
            ),
        }),
      )
      .digest('hex')
    const latest = await deps.db
      .selectFrom('kpi_computations')
      .select(['id', 'computed_at', 'content_sha256', 'history_version'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (latest?.content_sha256 === contentSha256) {
      // The same inputs gave the same values: the kept computation stands, checked again now.
      await deps.db
        .updateTable('kpi_computations')
        .set({ checked_at: now })
        .where('id', '=', latest.id)
        .execute()
      await lineageEvent('COMPLETE')
      deps.log.info({ computation: latest.id, trigger: trigger.kind }, 'KPIs unchanged')
      return {
        id: latest.id,
        computedAt: latest.computed_at,
        trigger: trigger.kind,
        actor: trigger.actor,
        inputs,
        platformRecords,
        historyVersion: latest.history_version ?? undefined,
        values,
      }
    }
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('kpi_computations')
        .values({
          id,
          computed_at: now,
          trigger: trigger.kind,
          actor: trigger.actor,
          inputs: JSON.stringify(inputs),
          platform_records: JSON.stringify(platformRecords),
          history_version: null,
          content_sha256: contentSha256,
          checked_at: now,
        })
        .execute()
      for (let i = 0; i < valueRows.length; i += 500)
        await trx
          .insertInto('kpi_values')
          .values(valueRows.slice(i, i + 500))
          .execute()
    })
    // The history is published after the values are kept: a failure here leaves the values
    // readable, and the next computation publishes again.
    const publication = await publishHistory(id, history)
    await deps.db
      .updateTable('kpi_computations')
      .set({ history_version: publication.version })
      .where('id', '=', id)
      .execute()
    await lineageEvent('COMPLETE', [KPI_HISTORY_DATASET.slug])
    deps.log.info(
      {
        computation: id,
        trigger: trigger.kind,
        values: valueRows.length,
        historyVersion: publication.version,
      },
      'KPIs computed',
    )
    return {
      id,
      computedAt: now,
      trigger: trigger.kind,
      actor: trigger.actor,
      inputs,
      platformRecords,
      historyVersion: publication.version,
      values,
    }
  }

  return {
    /** Computes every KPI now; calls wait for the one before them. */
    compute(trigger: KpiTrigger): Promise<KpiComputation> {
      const next = running.then(
        () => compute(trigger),
        () => compute(trigger),
      )
      running = next.catch(() => undefined)
      return next
    },
  }
}

export type KpiEngine = ReturnType<typeof createKpiEngine>
