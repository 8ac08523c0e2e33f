import { beforeAll, describe, expect, it } from 'vitest'
import type { UserHeaders } from '../testing/index.js'
import { example, useLineageApi } from './routes-test-kit.js'

const { platform, post, get, tokenOf } = useLineageApi(['steward.dos', 'steward.sla'])
// An SLA steward's API token (write scope), as SLA's producers use.
let slaToken: string
beforeAll(async () => {
  slaToken = await tokenOf(platform.as['steward.sla'])
})

const schemaFacet = (fields: string[]) => ({
  _producer: 'https://github.com/apache/airflow',
  _schemaURL:
    'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  fields: fields.map((name) => ({ name, type: 'VARCHAR' })),
})
let runs = 0
const runEventOf = (
  job: { namespace: string; name: string },
  more: { runId?: string; inputs?: unknown[]; outputs?: unknown[]; eventType?: string } = {},
) => ({
  eventType: more.eventType ?? 'COMPLETE',
  eventTime: `2026-12-06T0${Math.floor(runs / 60) % 10}:${String(runs % 60).padStart(2, '0')}:00Z`,
  producer: 'https://github.com/apache/airflow',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: more.runId ?? `0193f3a4-8c1e-7d2a-9b1c-${String(++runs).padStart(12, '0')}` },
  job,
  inputs: more.inputs ?? [],
  outputs: more.outputs ?? [],
})
const send = async (
  event: unknown,
  headers: UserHeaders = { authorization: `Bearer ${slaToken}` },
) => {
  const res = await post('/api/v1/lineage', event, headers)
  return { status: res.status, body: (await res.json()) as { error?: { message: string } } }
}
const audited = async (action: string) =>
  (await platform.runtime.audit.list({ limit: 1000 })).filter((e) => e.action === action)
const personAddress = '/api/v1/namespaces/gov-data-portal/datasets/person-address-pa'
const fieldsOf = async (path: string) =>
  (await get<{ fields: { name: string }[] }>(path)).body.fields.map((f) => f.name)

describe('lineage namespaces are registered by administrators', () => {
  it('lets administrators register, list and remove namespaces; nobody else changes them', async () => {
    const body = { namespace: 'airflow://sla-ops', agency: 'sla' }
    for (const caller of [
      platform.as['steward.sla'],
      platform.as['officer.moe'],
      platform.as['steward.dos'],
    ])
      expect((await post('/api/v1/lineage/namespaces', body, caller)).status).toBe(403)
    const created = await post('/api/v1/lineage/namespaces', body, platform.as.admin)
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({
      ok: true,
      data: { namespace: 'airflow://sla-ops', agency: 'SLA', registeredBy: 'admin' },
    })
    expect((await post('/api/v1/lineage/namespaces', body, platform.as.admin)).status).toBe(200)
    const taken = await post(
      '/api/v1/lineage/namespaces',
      { ...body, agency: 'DOS' },
      platform.as.admin,
    )
    expect(taken.status).toBe(409)
    const refusals = [
      [{ namespace: 'Gov-Data-Portal/', agency: 'SLA' }, 409, /platform's own namespace/],
      [
        { namespace: 'AIRFLOW://SLA-OPS', agency: 'SLA' },
        409,
        /registered as 'airflow:\/\/sla-ops'/,
      ],
      [{ namespace: 'airflow://x', agency: 'NOPE' }, 400, /no agency 'NOPE'/],
      [{ namespace: 'airflow://\u200Bx', agency: 'SLA' }, 400, /printable ASCII only/],
      // Lookalikes: a Cyrillic о, a Hangul filler, a Braille blank.
      [{ namespace: 'g\u043Ev-data-portal', agency: 'SLA' }, 400, /printable ASCII only/],
      [{ namespace: '\u3164gov-data-portal', agency: 'SLA' }, 400, /printable ASCII only/],
      [{ namespace: 's3://dos-statistics\u2800', agency: 'SLA' }, 400, /printable ASCII only/],
    ] as const
    for (const [request, status, message] of refusals) {
      const res = await post('/api/v1/lineage/namespaces', request, platform.as.admin)
      expect(res.status, JSON.stringify(request)).toBe(status)
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message)
    }
    const list = await get<{ data: { namespace: string; agency: string }[] }>(
      '/api/v1/lineage/namespaces',
    )
    expect(list.status).toBe(200)
    expect(list.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ namespace: 'airflow://sla', agency: 'SLA' }),
        expect.objectContaining({ namespace: 'airflow://sla-ops', agency: 'SLA' }),
        expect.objectContaining({ namespace: 's3://landing-bucket', agency: 'MOH' }),
      ]),
    )
    const remove = (headers: UserHeaders) =>
      platform.app.request(
        `/api/v1/lineage/namespaces/${encodeURIComponent('airflow://sla-ops')}`,
        {
          method: 'DELETE',
          headers,
        },
      )
    expect((await remove(platform.as['steward.sla'])).status).toBe(403)
    expect((await remove(platform.as.admin)).status).toBe(200)
    expect((await remove(platform.as.admin)).status).toBe(404)
    expect(
      (await audited('lineage.namespace.register')).find(
        (e) => e.details.namespace === 'airflow://sla-ops',
      ),
    ).toMatchObject({ actor: 'admin', outcome: 'succeeded', details: { agency: 'SLA' } })
    expect(await audited('lineage.namespace.unregister')).toEqual([
      expect.objectContaining({ details: { namespace: 'airflow://sla-ops', agency: 'SLA' } }),
    ])
  })
})

describe('lineage namespaces are owned: what a steward may write', () => {
  it("refuses a steward's events into the platform's namespace, however spelt, and audits it", async () => {
    const before = await fieldsOf(personAddress)
    const forged = (namespace: string) =>
      runEventOf(
        { namespace, name: 'fuse.person_address_pa' },
        {
          outputs: [
            {
              namespace,
              name: 'person-address-pa',
              facets: { schema: schemaFacet([...before, 'nric_in_clear']) },
            },
          ],
        },
      )
    for (const namespace of [
      'gov-data-portal',
      'Gov-Data-Portal',
      'gov-data-portal/',
      ' gov-data-portal',
      'gov%2Ddata-portal',
      'gov-data-portal.staging',
    ]) {
      const { status, body } = await send(forged(namespace))
      expect(status, namespace).toBe(403)
      expect(body.error?.message).toContain(
        `Lineage namespace '${namespace}' (job fuse.person_address_pa) is the platform's own`,
      )
    }
    // Sessions and administrators are no different.
    expect((await send(forged('gov-data-portal'), platform.as['steward.sla'])).status).toBe(403)
    expect((await send(forged('gov-data-portal'), platform.as.admin)).status).toBe(403)
    expect(await fieldsOf(personAddress)).toEqual(before)
    expect(before).not.toContain('nric_in_clear')
    // Each refusal is in the audit trail, naming the namespace, the job and the run.
    const denied = (await audited('access.denied')).filter((e) =>
      String(e.details.reason).includes("is the platform's own"),
    )
    expect(denied.length).toBeGreaterThanOrEqual(8)
    expect(denied.find((e) => e.actor === 'steward.sla')?.details).toMatchObject({
      method: 'POST',
      path: '/api/v1/lineage',
      reason: expect.stringMatching(
        /^Refused the COMPLETE of run \S+ of job gov-data-portal:fuse.person_address_pa/,
      ),
    })
  })

  it("refuses events writing another agency's or an unregistered namespace, or another job's run", async () => {
    const job = { namespace: 'airflow://sla', name: 'export.persons' }
    const refused = [
      // An output in DOS's namespace, or facets on a DOS dataset read as an input.
      runEventOf(job, { outputs: [{ namespace: 's3://dos-statistics', name: 'persons' }] }),
      runEventOf(job, {
        inputs: [
          {
            namespace: 's3://dos-statistics',
            name: 'persons',
            facets: { schema: schemaFacet(['x']) },
          },
        ],
      }),
      runEventOf(job, {
        inputs: [
          {
            namespace: 'gov-data-portal',
            name: 'person-address-pa',
            facets: { schema: schemaFacet(['nric_in_clear']) },
          },
        ],
      }),
      // A job in DOS's namespace; a namespace nobody registered; a spelling of its own.
      runEventOf({ namespace: 'airflow://dos', name: 'fuse.persons' }),
      runEventOf({ namespace: 'airflow://sla-unregistered', name: 'j' }),
      runEventOf({ namespace: 'AIRFLOW://SLA/', name: 'j' }),
      {
        eventTime: '2026-12-06T00:00:00Z',
        producer: 'https://github.com/apache/airflow',
        schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
        dataset: {
          namespace: 'airflow://dos',
          name: 'x',
          facets: { schema: schemaFacet(['y']) },
        },
      },
      // A dataset of the platform's namespace that it never published, named as an input.
      runEventOf(job, { inputs: [{ namespace: 'gov-data-portal', name: 'nric-master-list' }] }),
    ]
    const messages: string[] = []
    for (const event of refused) {
      const { status, body } = await send(event)
      expect(status, JSON.stringify(event)).toBe(403)
      messages.push(body.error?.message ?? '')
    }
    expect(messages[0]).toContain(
      "'s3://dos-statistics' (output dataset persons) is registered to DOS",
    )
    expect(messages[1]).toContain('(facets of input dataset persons) is registered to DOS')
    expect(messages[2]).toContain("is the platform's own")
    expect(messages[3]).toContain("'airflow://dos' (job fuse.persons) is registered to DOS")
    expect(messages[4]).toContain('is not registered to any agency: an administrator registers')
    expect(messages[5]).toContain("is registered as 'airflow://sla'")
    expect(messages[6]).toMatch(
      /^Refused the DatasetEvent of airflow:\/\/dos:x: .* registered to DOS/,
    )
    expect(messages[7]).toContain(
      'input dataset gov-data-portal:nric-master-list is not one the platform published',
    )
    expect((await get('/api/v1/namespaces/gov-data-portal/datasets/nric-master-list')).status).toBe(
      404,
    )
    // A completed run of the platform's fusion, claimed under a job of one's own.
    const fusion = await get<{ runs: { id: string; state: string }[] }>(
      '/api/v1/namespaces/gov-data-portal/jobs/fuse.person_address_pa/runs',
    )
    const platformRun = fusion.body.runs[0]?.id as string
    const hijack = await send(runEventOf(job, { runId: platformRun, eventType: 'FAIL' }))
    expect(hijack.status).toBe(403)
    expect(hijack.body.error?.message).toContain(
      `run ${platformRun} is a run of job gov-data-portal:fuse.person_address_pa`,
    )
    const after = await get<{ runs: { id: string; state: string }[] }>(
      '/api/v1/namespaces/gov-data-portal/jobs/fuse.person_address_pa/runs',
    )
    expect(after.body.runs).toEqual(fusion.body.runs)
    // Nothing of any of it reached the graph.
    const search = await get<{ totalCount: number }>('/api/v1/search?q=export.persons')
    expect(search.body.totalCount).toBe(0)
  })
})

describe('lineage namespaces are owned: what is stored and audited', () => {
  it('accepts events into its own namespaces and audits each: who, namespace, job, run, type', async () => {
    // Reading the platform's dataset (no facets of it) and naming a job as the platform names
    // its own are both fine, in one's own namespace.
    const event = runEventOf(
      { namespace: 'airflow://sla', name: 'fuse.person_address_pa' },
      {
        inputs: [{ namespace: 'gov-data-portal', name: 'person-address-pa' }],
        outputs: [
          {
            namespace: 'postgres://sla-geospatial.gov.example:5432',
            name: 'public.addresses',
            facets: { schema: schemaFacet(['postal_code']) },
          },
        ],
      },
    )
    const { status } = await send(event)
    expect(status).toBe(201)
    const again = await send(event)
    expect(again.status).toBe(201)
    const entries = (await audited('lineage.event')).filter(
      (e) => e.details.runId === event.run.runId,
    )
    expect(entries.map((e) => e.details.stored)).toEqual([false, true])
    expect(entries[1]).toMatchObject({
      actor: 'steward.sla',
      outcome: 'succeeded',
      subjectType: 'LineageEvent',
      subjectId: event.run.runId,
      details: {
        kind: 'RunEvent',
        namespace: 'airflow://sla',
        job: 'fuse.person_address_pa',
        runId: event.run.runId,
        eventType: 'COMPLETE',
      },
    })
    expect(entries[1]?.actorId).toBeTruthy()
    expect(await fieldsOf(personAddress)).not.toContain('nric_in_clear')
  })

  it('refuses a batch with any event the caller may not send, storing none of it', async () => {
    const own = runEventOf({ namespace: 'airflow://sla', name: 'batch.own' })
    const foreign = runEventOf({ namespace: 'airflow://moh', name: 'batch.foreign' })
    const invalid = example('invalid/ol__proxy-fluentd__event_no_run_id.json')
    const mixed = await post('/api/v1/lineage/batch', [own, invalid, foreign], {
      authorization: `Bearer ${slaToken}`,
    })
    expect(mixed.status).toBe(403)
    expect(((await mixed.json()) as { error: { message: string } }).error.message).toMatch(
      /^Event 2 of the batch: Refused the COMPLETE of run \S+ of job airflow:\/\/moh:batch.foreign: .* registered to MOH.*Nothing of the batch was stored/,
    )
    expect((await get('/api/v1/lineage?nodeId=job:airflow://sla:batch.own')).status).toBe(404)
    expect((await audited('lineage.event')).some((e) => e.details.runId === own.run.runId)).toBe(
      false,
    )
    // All its own: each event stored and audited, the invalid one reported as before.
    const second = runEventOf({ namespace: 'airflow://sla', name: 'batch.own' })
    const res = await post('/api/v1/lineage/batch', [own, invalid, second], {
      authorization: `Bearer ${slaToken}`,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      status: 'partial_success',
      summary: { received: 3, successful: 2, failed: 1 },
      failed_events: [{ index: 1 }],
    })
    const runIds = (await audited('lineage.event')).map((e) => e.details.runId)
    expect(runIds).toEqual(expect.arrayContaining([own.run.runId, second.run.runId]))
  })
})
