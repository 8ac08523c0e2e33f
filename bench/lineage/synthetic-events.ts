import { type LineageEvent, lineageFacets, runEvent } from '../../lineage/index.js'

// The bench steward's agency owns the namespaces its events write (the platform's are nobody's).
export const JOBS = 'airflow://dos'
export const DATASETS = 's3://dos-bench'

/**
 * A synthetic estate: jobs in layers, each reading two datasets of the layer before and writing
 * one, each run sending START and COMPLETE (with schema, statistics and column lineage).
 */
export function syntheticEvents(count: number, salt: string): LineageEvent[] {
  const layers = 10
  const jobsPerLayer = 100
  const events: LineageEvent[] = []
  const dataset = (layer: number, i: number) => ({
    namespace: layer === 0 ? 'postgres://ssot.gov.example:5432' : DATASETS,
    name: `layer${layer}.table${i % jobsPerLayer}`,
  })
  for (let run = 0; events.length < count; run++) {
    const layer = 1 + (run % (layers - 1))
    const j = Math.floor(run / (layers - 1)) % jobsPerLayer
    const inputs = [dataset(layer - 1, j), dataset(layer - 1, j + 7)]
    const output = dataset(layer, j)
    const parts = {
      runId: `${salt}-${run}`,
      job: { name: `layer${layer}.job${j}`, type: 'FUSION' },
    }
    const at = Date.UTC(2026, 0, 1) + run * 60_000
    events.push(
      runEvent({ ...parts, eventType: 'START', eventTime: new Date(at), inputs }),
      runEvent({
        ...parts,
        eventType: 'COMPLETE',
        eventTime: new Date(at + 30_000),
        inputs,
        outputs: [
          {
            ...output,
            facets: {
              schema: lineageFacets.schema([
                { name: 'id', type: 'BIGINT' },
                { name: 'value', type: 'DOUBLE' },
              ]),
              columnLineage: lineageFacets.columnLineage({
                id: [
                  {
                    ...inputs[0],
                    field: 'id',
                    transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
                  },
                ] as never,
                value: inputs.map((i) => ({
                  ...i,
                  field: 'value',
                  transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }],
                })) as never,
              }),
            },
            outputFacets: {
              outputStatistics: lineageFacets.outputStatistics({
                rowCount: 1000 + run,
                size: 50_000,
              }),
            },
          },
        ],
      }),
    )
  }
  return events.slice(0, count).map((event) => ({
    ...event,
    job: { ...(event as { job: object }).job, namespace: JOBS },
  })) as LineageEvent[]
}
