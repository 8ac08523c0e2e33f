import { beforeAll, describe, expect, it } from 'vitest'
import { defineAbilityFor, systemAbility } from '../identity/index.js'
import { lineageFacets, PORTAL_NAMESPACE, runEvent } from '../lineage/index.js'
import { registerWebhook } from '../notifications/index.js'
import { routesOf } from '../routing/index.js'
import {
  AUTHORIZATION_MATRIX,
  CALLERS,
  type CallerName,
  HIDDEN_DATASET,
  MATRIX_REQUESTS,
  signInAs,
  type TestRuntime,
  useTestPlatform,
} from '../testing/index.js'
import { API_MODULES } from './openapi.js'

const platform = useTestPlatform({ backend: 'pglite' })
const headers = new Map<CallerName, Record<string, string>>()
/** The ids the matrix's paths name, e.g. `{webhook}`, of what `seedMatrix` made. */
let ids: Map<string, string>

beforeAll(async () => {
  ids = await seedMatrix(platform.runtime)
  headers.set('anonymous', {})
  for (const caller of CALLERS.filter((c) => c !== 'anonymous'))
    headers.set(caller, await signInAs(platform.app, caller))
})

/**
 * What the matrix's rows act on: a dataset most callers may not see (and its lineage), an access
 * request at each workflow step, and two webhooks. Returns their ids by the names the paths use.
 */
async function seedMatrix(runtime: TestRuntime): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  const user = async (username: string) => {
    const found = await runtime.auth.users.findUserByUsername(username)
    if (!found) throw new Error(`No fixture user ${username}`)
    return found
  }
  await runtime.catalog.publishVersion(
    {
      slug: HIDDEN_DATASET,
      title: 'Chronic disease registry (confidential)',
      description: 'Registered chronic conditions (synthetic).',
      agency: 'MOH',
      trustedCentre: 'TC-MOH',
      sourceSsots: ['moh'],
      classification: { security: 'confidential', sensitivity: 'sensitive-high' },
      updateFrequency: 'monthly',
      columns: [{ name: 'condition_code', description: 'ICD-10 code', personalData: 'sensitive' }],
    },
    {
      rowCount: 0,
      byteSize: 0,
      contentSha256: 'a'.repeat(64),
      schema: [{ name: 'condition_code', type: 'VARCHAR' }],
    },
    async (version) => `tc/${HIDDEN_DATASET}/v${version}.parquet`,
  )
  // Its lineage: the hidden dataset must be absent from the graph for those who may not see it.
  await runtime.lineage.store.record(
    runEvent({
      eventType: 'COMPLETE',
      eventTime: new Date('2026-11-01T00:00:00Z'),
      runId: 'matrix-hidden',
      job: { name: 'fuse.moh_chronic_registry', type: 'FUSION' },
      outputs: [
        {
          namespace: PORTAL_NAMESPACE,
          name: HIDDEN_DATASET,
          outputFacets: {
            outputStatistics: lineageFacets.outputStatistics({ rowCount: 4242, size: 99 }),
          },
        },
      ],
    }),
  )
  const now = new Date()
  const steward = await user('steward.dos')
  for (const [name, setup] of Object.entries(MATRIX_REQUESTS)) {
    const requester = await user(setup.by)
    const request = await runtime.access.submit(
      {
        dataset: setup.dataset,
        purpose: 'Authorization matrix: one request per workflow step',
        legalBasis: 'PSGA 2018 s. 25',
        durationDays: 30,
      },
      requester,
      defineAbilityFor(requester),
      now,
    )
    const decide = (action: 'approve' | 'ask-info', input = {}) =>
      runtime.access.act(request.id, action, input, steward, defineAbilityFor(steward), now)
    if (setup.state === 'needs-info') await decide('ask-info', { question: 'Which schools?' })
    const ready = setup.state === 'approved' ? await decide('approve') : request
    ids.set(name, ready.grant?.id ?? ready.id)
  }
  const hook = await registerWebhook(
    runtime.db,
    { agency: 'DOS', url: 'https://hooks.dos.example.gov.sg/matrix' },
    'steward.dos',
    now,
  )
  ids.set('webhook', hook.webhook.id)
  const doomed = await registerWebhook(
    runtime.db,
    { agency: 'DOS', url: 'https://hooks.dos.example.gov.sg/doomed' },
    'steward.dos',
    now,
  )
  ids.set('doomedWebhook', doomed.webhook.id)
  return ids
}

describe('authorization matrix', () => {
  it('gives every caller exactly the expected status on every route', async () => {
    const actual: string[] = []
    const expected: string[] = []
    for (const row of AUTHORIZATION_MATRIX) {
      const path = row.path.replace(/\{(\w+)\}/g, (_, name: string) => ids.get(name) ?? name)
      for (const caller of CALLERS) {
        const res = await platform.app.request(path, {
          method: row.method,
          headers: {
            ...headers.get(caller),
            ...(row.body ? { 'content-type': 'application/json' } : {}),
          },
          ...(row.body ? { body: JSON.stringify(row.body) } : {}),
        })
        const want = caller === 'anonymous' ? row.anonymous : (row.except?.[caller] ?? row.signedIn)
        actual.push(`${row.method} ${row.path} as ${caller}: ${res.status}`)
        expected.push(`${row.method} ${row.path} as ${caller}: ${want}`)
      }
    }
    expect(actual).toEqual(expected)
    // Some 800 requests, queries and extracts among them: minutes on a busy machine.
  }, 300_000)

  it('never shows a hidden dataset in a list, not even in its count', async () => {
    for (const caller of ['officer.moe', 'officer.moh'] as const)
      headers.set(caller, await signInAs(platform.app, caller))
    const slugs = async (caller: CallerName) => {
      const res = await platform.app.request('/api/datasets', { headers: headers.get(caller) })
      return ((await res.json()) as { data: { slug: string }[] }).data.map((d) => d.slug)
    }
    // By title, as the catalogue lists them.
    const published = [
      'ai-projects-register',
      'business-by-planning-area',
      'chronic-disease-registry',
      'blueprint-kpi-history',
      'digital-projects-register',
      'government-systems-register',
      'digital-services-register',
      'sensor-hourly-by-planning-area',
      'person-address-pa',
      'postal-geocode-reference',
      'officer-training-records',
      'digital-services-satisfaction-survey',
    ]
    expect(await slugs('officer.moe')).toEqual(published)
    // "Chronic disease registry (confidential)" sorts after the discoverable registry.
    const afterRegistry = published.indexOf('chronic-disease-registry') + 1
    expect(await slugs('officer.moh')).toEqual([
      ...published.slice(0, afterRegistry),
      HIDDEN_DATASET,
      ...published.slice(afterRegistry),
    ])
    expect((await platform.runtime.catalog.listDatasets(systemAbility())).length).toBe(
      published.length + 1,
    )
    // Lineage search: the hidden dataset is left out of the results and of the count alike.
    const lineageHits = async (caller: CallerName) => {
      const res = await platform.app.request(
        `/api/v1/search?filter=DATASET&q=${encodeURIComponent(HIDDEN_DATASET.slice(0, 6))}`,
        { headers: headers.get(caller) },
      )
      const body = (await res.json()) as { totalCount: number; results: { name: string }[] }
      return { count: body.totalCount, names: body.results.map((r) => r.name) }
    }
    expect(await lineageHits('officer.moh')).toMatchObject({ names: [HIDDEN_DATASET] })
    expect(await lineageHits('officer.moe')).toEqual({ count: 0, names: [] })
    // The job that writes it is no secret, but its runs name the dataset, and count its rows, only
    // to those who may see it: in the run history and in the graph's job node alike.
    const job = 'fuse.moh_chronic_registry'
    const runOutputs = async (caller: CallerName) => {
      const runs = await platform.app.request(
        `/api/v1/namespaces/${PORTAL_NAMESPACE}/jobs/${job}/runs`,
        { headers: headers.get(caller) },
      )
      const graph = await platform.app.request(
        `/api/v1/lineage?nodeId=${encodeURIComponent(`job:${PORTAL_NAMESPACE}:${job}`)}&depth=1`,
        { headers: headers.get(caller) },
      )
      type Outputs = { name: string; rowCount: number | null }[]
      const listed = (await runs.json()) as { runs: { outputs: Outputs }[] }
      const drawn = (await graph.json()) as {
        graph: { type: string; data: { latestRun?: { outputs: Outputs } | null } }[]
      }
      const node = drawn.graph.find((n) => n.type === 'JOB')
      return { history: listed.runs[0]?.outputs, graph: node?.data.latestRun?.outputs }
    }
    const seen = [{ name: HIDDEN_DATASET, rowCount: 4242, namespace: PORTAL_NAMESPACE, size: 99 }]
    expect(await runOutputs('officer.moh')).toEqual({ history: seen, graph: seen })
    expect(await runOutputs('officer.moe')).toEqual({ history: [], graph: [] })
  })

  it('answers every refusal with the canonical error body', async () => {
    headers.set('officer.moh', await signInAs(platform.app, 'officer.moh'))
    const anonymous = await platform.app.request('/api/datasets')
    expect(await anonymous.json()).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'Sign in first, or send an API token as "Authorization: Bearer <token>"',
      },
    })
    const forbidden = await platform.app.request('/api/audit', {
      headers: headers.get('officer.moh'),
    })
    expect(await forbidden.json()).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'You may not read the audit trail' },
    })
  })

  it('has a row for every declared route, agreeing with who the declaration says may call it', () => {
    const rowsOf = (method: string, path: string) => {
      const pattern = new RegExp(`^${path.replace(/:\w+/g, '[^/]+')}$`)
      return AUTHORIZATION_MATRIX.filter(
        (r) => r.method === method && pattern.test(r.path.split('?')[0] ?? r.path),
      )
    }
    const missing: string[] = []
    const disagreeing: string[] = []
    for (const { path, route } of routesOf(API_MODULES)) {
      const method = route.method.toUpperCase()
      const rows = rowsOf(method, path)
      if (rows.length === 0) missing.push(`${method} ${path}`)
      // Anonymous callers get 401 wherever sign-in is needed; a public route lets them through
      // (or answers as it answers everyone, e.g. 404 for a sign-in method that is off).
      for (const row of rows) {
        const signInNeeded = route.access !== 'public'
        if (signInNeeded !== (row.anonymous === 401))
          disagreeing.push(`${method} ${row.path}: ${route.access}, anonymous ${row.anonymous}`)
      }
    }
    expect(missing).toEqual([])
    expect(disagreeing).toEqual([])
  })
})
