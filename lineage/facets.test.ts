import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FACET_SCHEMAS, lineageFacets } from './facets.js'
import { PORTAL_NAMESPACE } from './producer.js'
import { lineageRunId, runEvent } from './run-event.js'
import { createEventValidator } from './validate-event.js'

const SPEC = new URL('./openlineage-spec/facets/', import.meta.url)

describe('the facets we emit', () => {
  it('name the exact version of a vendored official schema', () => {
    const ids = new Set(
      readdirSync(SPEC).flatMap((file) => {
        const schema = JSON.parse(readFileSync(new URL(file, SPEC), 'utf8')) as {
          $id: string
          $defs: Record<string, unknown>
        }
        return Object.keys(schema.$defs).map((def) => `${schema.$id}#/$defs/${def}`)
      }),
    )
    for (const url of Object.values(FACET_SCHEMAS)) expect(ids, url).toContain(url)
  })

  it('each validate, formats included, where they hang', () => {
    const source = { namespace: 'feeds://dos', name: 'dos_persons', field: 'uin' }
    const event = runEvent({
      eventType: 'COMPLETE',
      eventTime: new Date('2026-11-22T01:00:00Z'),
      runId: 'run_b',
      job: {
        name: 'fuse.example',
        type: 'FUSION',
        facets: {
          sql: lineageFacets.sql('SELECT 1'),
          documentation: lineageFacets.jobDocumentation('Joins persons to addresses'),
          ownership: lineageFacets.jobOwnership([{ name: 'agency:DOS', type: 'MAINTAINER' }]),
        },
      },
      runFacets: {
        parent: lineageFacets.parent({
          runId: lineageRunId('run_a'),
          namespace: PORTAL_NAMESPACE,
          name: 'nightly',
        }),
        errorMessage: lineageFacets.errorMessage('none'),
      },
      inputs: [
        {
          ...source,
          facets: { dataSource: lineageFacets.dataSource('dos', 'feeds://dos') },
          inputFacets: {
            dataQualityMetrics: lineageFacets.dataQualityMetrics({ rowCount: 5, bytes: 10 }),
            dataQualityAssertions: lineageFacets.dataQualityAssertions([
              { assertion: 'not_null', success: true, column: 'uin', severity: 'error' },
            ]),
          },
        },
      ],
      outputs: [
        {
          namespace: PORTAL_NAMESPACE,
          name: 'example',
          facets: {
            schema: lineageFacets.schema([{ name: 'person_key', type: 'VARCHAR' }]),
            columnLineage: lineageFacets.columnLineage(
              {
                person_key: [
                  {
                    ...source,
                    transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: true }],
                  },
                ],
              },
              [{ ...source, transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }] }],
            ),
            documentation: lineageFacets.datasetDocumentation('Persons with addresses'),
            ownership: lineageFacets.datasetOwnership([{ name: 'agency:DOS' }]),
            version: lineageFacets.datasetVersion('3'),
            symlinks: lineageFacets.symlinks([
              { namespace: 'https://data.example.gov.sg', name: 'DOS/example', type: 'TABLE' },
            ]),
          },
          outputFacets: {
            outputStatistics: lineageFacets.outputStatistics({ rowCount: 5, size: 99 }),
          },
        },
      ],
    })
    expect(createEventValidator().check(event)).toEqual({
      kind: 'RunEvent',
      errors: [],
      warnings: [],
    })
  })
})
