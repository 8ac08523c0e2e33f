import { describe, expect, it } from 'vitest'
import type { LineageEvent } from './events.js'
import {
  canonicalNamespace,
  isPlatformNamespace,
  type LineageNamespace,
  namespacesWritten,
  refusalsOf,
} from './namespace-ownership.js'

const facet = { _producer: 'https://example.gov.sg', _schemaURL: 'https://example.gov.sg/f' }
const envelope = {
  eventTime: '2026-12-06T01:00:00Z',
  producer: 'https://example.gov.sg/tool',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
}
const runOf = (
  job: { namespace: string; name: string },
  more: Partial<{ runId: string; inputs: unknown[]; outputs: unknown[] }> = {},
): LineageEvent =>
  ({
    ...envelope,
    eventType: 'COMPLETE',
    run: { runId: more.runId ?? '0193f3a4-0000-7000-8000-000000000001' },
    job,
    inputs: more.inputs ?? [],
    outputs: more.outputs ?? [],
  }) as LineageEvent

const registered = (namespace: string, agency: string): LineageNamespace => ({
  namespace,
  agency,
  registeredBy: 'admin',
  registeredAt: new Date('2026-12-06T00:00:00Z'),
})
const owners = new Map(
  [registered('airflow://sla', 'SLA'), registered('s3://dos-statistics', 'DOS')].map((r) => [
    canonicalNamespace(r.namespace),
    r,
  ]),
)
const asSla = (agency: string) => agency === 'SLA'
const refusals = (events: LineageEvent[], runJobs = new Map()) =>
  refusalsOf(events, owners, runJobs, asSla).map((r) => r.message)

describe('lineage namespace ownership', () => {
  it("reads every spelling of the platform's namespace as the platform's", () => {
    for (const spelling of [
      'gov-data-portal',
      'Gov-Data-Portal',
      ' gov-data-portal ',
      'gov-data-portal/',
      'gov-data-portal//',
      'GOV-DATA-PORTAL.staging',
      'gov%2Ddata%2Dportal',
      'gov%252Ddata-portal',
      'ｇｏｖ-data-portal',
      'gov\u200B-data-portal',
      'gov\u2011data\u2013portal',
      'gov-data-portal\uFEFF',
      'feeds://dos',
      'FEEDS://sla/',
    ])
      expect(isPlatformNamespace(spelling), spelling).toBe(true)
    for (const other of ['airflow://dos', 'portal', 'data-portal', 'feeds', 'gov-data'])
      expect(isPlatformNamespace(other), other).toBe(false)
    expect(canonicalNamespace('S3://DOS-Statistics/')).toBe('s3://dos-statistics')
    expect(canonicalNamespace('s3%3A%2F%2Fdos-statistics')).toBe('s3://dos-statistics')
    // A malformed escape is left as it is rather than failing.
    expect(canonicalNamespace('weird%E0%A4%A')).toBe('weird%e0%a4%a')
  })

  it('names what an event writes: its job, outputs, described inputs, a dataset', () => {
    const event = runOf(
      { namespace: 'airflow://sla', name: 'copy' },
      {
        inputs: [
          { namespace: 'gov-data-portal', name: 'person-address-pa' },
          { namespace: 's3://dos-statistics', name: 'described', facets: { schema: facet } },
          { namespace: 'feeds://dos', name: 'checked', inputFacets: { dataQualityMetrics: facet } },
        ],
        outputs: [{ namespace: 's3://sla-out', name: 'copy.parquet' }],
      },
    )
    expect(namespacesWritten(event)).toEqual([
      { namespace: 'airflow://sla', what: 'job copy' },
      { namespace: 's3://sla-out', what: 'output dataset copy.parquet' },
      { namespace: 's3://dos-statistics', what: 'facets of input dataset described' },
    ])
    expect(
      namespacesWritten({ ...envelope, dataset: { namespace: 'x://y', name: 'z' } } as never),
    ).toEqual([{ namespace: 'x://y', what: 'dataset z' }])
    expect(
      namespacesWritten({ ...envelope, job: { namespace: 'airflow://sla', name: 'j' } } as never),
    ).toEqual([{ namespace: 'airflow://sla', what: 'job j' }])
  })

  it("counts the aliases a dataset claims as writes to their namespaces, but our catalogue's", () => {
    const symlinks = (...identifiers: { namespace: string; name: string }[]) => ({
      symlinks: { ...facet, identifiers: identifiers.map((i) => ({ ...i, type: 'TABLE' })) },
    })
    const event = runOf(
      { namespace: 'airflow://sla', name: 'copy' },
      {
        outputs: [
          {
            namespace: 's3://sla-out',
            name: 'copy.parquet',
            facets: symlinks(
              { namespace: 'gov-data-portal', name: 'person-address-pa' },
              { namespace: 'gov-data-portal.staging', name: 'dos_persons' },
              { namespace: 's3://dos-statistics', name: 'theirs' },
            ),
          },
        ],
      },
    )
    expect(namespacesWritten(event)).toEqual([
      { namespace: 'airflow://sla', what: 'job copy' },
      { namespace: 's3://sla-out', what: 'output dataset copy.parquet' },
      { namespace: 'gov-data-portal.staging', what: 'alias dos_persons of dataset copy.parquet' },
      { namespace: 's3://dos-statistics', what: 'alias theirs of dataset copy.parquet' },
    ])
  })

  it("reads only datasets the platform published from the platform's namespaces", () => {
    const job = { namespace: 'airflow://sla', name: 'copy' }
    const reading = (namespace: string, name: string) =>
      runOf(job, { inputs: [{ namespace, name }] })
    const published = new Set(['gov-data-portal\nperson-address-pa'])
    const refused = (event: LineageEvent) =>
      refusalsOf([event], owners, new Map(), asSla, published).map((r) => r.message)
    expect(refused(reading('gov-data-portal', 'person-address-pa'))).toEqual([])
    expect(refused(reading('s3://anyone', 'whatever'))).toEqual([])
    for (const [namespace, name] of [
      ['gov-data-portal', 'nric-master-list'],
      ['gov-data-portal.staging', 'phantom'],
      ['feeds://moh', 'hiv-registry'],
    ] as const)
      expect(refused(reading(namespace, name))[0]).toContain(
        `input dataset ${namespace}:${name} is not one the platform published`,
      )
  })

  it("refuses the platform's, another agency's, unregistered and misspelt namespaces", () => {
    const job = { namespace: 'airflow://sla', name: 'fuse.person_address_pa' }
    // A job named as the platform's, in one's own namespace, is one's own job.
    expect(refusals([runOf(job)])).toEqual([])
    const [platform] = refusals([
      runOf({ namespace: 'gov-data-portal', name: 'fuse.person_address_pa' }),
    ])
    expect(platform).toMatch(
      /^Refused the COMPLETE of run \S+ of job gov-data-portal:fuse.person_address_pa: Lineage namespace 'gov-data-portal' \(job fuse.person_address_pa\) is the platform's own/,
    )
    expect(platform).toContain('POST /api/v1/lineage/namespaces')
    expect(
      refusals([
        runOf(job, { outputs: [{ namespace: 's3://dos-statistics', name: 'persons' }] }),
      ])[0],
    ).toMatch(/'s3:\/\/dos-statistics' \(output dataset persons\) is registered to DOS/)
    expect(
      refusals([
        runOf(job, {
          inputs: [{ namespace: 'gov-data-portal', name: 'p', facets: { schema: facet } }],
        }),
      ])[0],
    ).toMatch(/'gov-data-portal' \(facets of input dataset p\) is the platform's own/)
    expect(refusals([runOf({ namespace: 'airflow://nobody', name: 'j' })])[0]).toMatch(
      /'airflow:\/\/nobody' \(job j\) is not registered to any agency/,
    )
    expect(refusals([runOf({ namespace: 'AIRFLOW://SLA/', name: 'j' })])[0]).toMatch(
      /is registered as 'airflow:\/\/sla': write it exactly so/,
    )
    expect(refusals([runOf({ namespace: 'airflow%3A%2F%2Fsla', name: 'j' })])[0]).toMatch(
      /is registered as 'airflow:\/\/sla'/,
    )
  })

  it("refuses an event naming another job's run, known or earlier in the batch", () => {
    const runId = '0193f3a4-0000-7000-8000-00000000abcd'
    const mine = { namespace: 'airflow://sla', name: 'mine' }
    const known = new Map([[runId, { namespace: 'gov-data-portal', name: 'fuse.x' }]])
    expect(refusals([runOf(mine, { runId })], known)[0]).toMatch(
      /run \S+ is a run of job gov-data-portal:fuse.x: events of a run name its own job/,
    )
    const other = { namespace: 'airflow://sla', name: 'other' }
    expect(
      refusalsOf([runOf(mine, { runId }), runOf(other, { runId })], owners, new Map(), asSla).map(
        (r) => r.index,
      ),
    ).toEqual([1])
  })
})
