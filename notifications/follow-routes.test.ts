import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { useTestPlatform } from '../testing/index.js'
import { startWebhookReceiver } from './webhook-receiver-test-kit.js'
import { deliverDue, registerWebhook, signature } from './webhooks.js'

const platform = useTestPlatform({
  backend: 'pglite',
  signIn: ['officer.moe', 'officer.moh', 'steward.dos', 'steward.moh'],
})
const call = platform.call

interface Notice {
  kind: string
  subjectId: string
  title: string
  body: string
  link: string
}
interface FollowedDataset {
  dataset: { slug: string; title: string; agency: string }
  currentVersion: number | null
  deprecated: boolean
  lastEvent: { kind: string; title: string; link: string } | null
}

type Who = 'officer.moe' | 'officer.moh' | 'steward.dos' | 'steward.moh'

const inbox = async (who: Who) =>
  (await call<{ notifications: Notice[] }>('GET', '/api/notifications', who)).body.data
    .notifications
/** The notices of one dataset, once `count` of them have arrived (they are told after commit). */
const noticesOf = async (who: Who, datasetId: string, count: number) =>
  vi.waitFor(
    async () => {
      const notices = (await inbox(who)).filter((n) => n.subjectId === datasetId)
      expect(notices.length).toBeGreaterThanOrEqual(count)
      return notices
    },
    { timeout: 15_000, interval: 100 },
  )
const follows = async (who: Who) =>
  (await call<FollowedDataset[]>('GET', '/api/follows', who)).body.data

/** A DOS dataset published straight into the catalogue, as a Trusted Centre would. */
type Registration = Parameters<typeof platform.runtime.catalog.publishVersion>[0]
const registration = (slug: string): Registration => ({
  slug,
  title: 'Follow test register',
  description: 'A register the follow tests publish versions of',
  agency: 'DOS',
  trustedCentre: 'TC-DOS',
  sourceSsots: ['dos'],
  classification: { security: 'official-closed', sensitivity: 'non-sensitive' },
  updateFrequency: 'monthly',
  columns: ['a', 'b', 'c'].map((name) => ({ name, description: name, personalData: 'none' })),
})
const publish = (
  slug: string,
  digest: string,
  schema: { name: string; type: string }[],
  failed: { name: string; observed: number }[] = [],
) =>
  platform.runtime.catalog.publishVersion(
    registration(slug),
    {
      rowCount: 12,
      byteSize: 100,
      contentSha256: digest.repeat(64),
      schema,
      quality: {
        checked: 1 + failed.length,
        passed: 1,
        blockingFailures: 0,
        warnings: failed.length,
        results: [
          {
            name: 'a_not_null',
            kind: 'not_null',
            severity: 'blocking',
            passed: true,
            observed: 0,
            expected: '0',
          },
          ...failed.map((f) => ({
            name: f.name,
            kind: 'not_null',
            severity: 'warning' as const,
            passed: false,
            observed: f.observed,
            expected: '0',
          })),
        ],
      },
    },
    async (version) => `tc/${slug}/v${version}.parquet`,
  )

describe('following a dataset', () => {
  it('follows, lists and unfollows a dataset the caller may discover', async () => {
    const followed = await call('PUT', '/api/datasets/person-address-pa/follow', 'officer.moe')
    expect(followed.status).toBe(200)
    expect(followed.body.data).toMatchObject({
      dataset: { slug: 'person-address-pa' },
      following: true,
      followedAt: expect.any(String),
    })
    // Following again changes nothing.
    const again = await call('PUT', '/api/datasets/person-address-pa/follow', 'officer.moe')
    expect(again.body.data).toEqual(followed.body.data)
    expect(await follows('officer.moe')).toEqual([
      expect.objectContaining({
        dataset: expect.objectContaining({ slug: 'person-address-pa', agency: 'DOS' }),
        currentVersion: 1,
        deprecated: false,
      }),
    ])
    const unfollowed = await call('DELETE', '/api/datasets/person-address-pa/follow', 'officer.moe')
    expect(unfollowed.body.data).toMatchObject({ following: false, followedAt: null })
    expect(await follows('officer.moe')).toEqual([])
  })

  it('refuses to follow a dataset the caller may not discover, as absent', async () => {
    await publish('follow-hidden-register', 'e', [{ name: 'a', type: 'INTEGER' }])
    await platform.runtime.db
      .updateTable('datasets')
      .set({ security_classification: 'confidential', agency: 'MOH' })
      .where('slug', '=', 'follow-hidden-register')
      .execute()
    const refused = await call('PUT', '/api/datasets/follow-hidden-register/follow', 'officer.moe')
    expect(refused.status).toBe(404)
    expect(
      (await call('PUT', '/api/datasets/follow-hidden-register/follow', 'officer.moh')).status,
    ).toBe(200)
  })

  it("tells followers and the agency's webhook of a new version the Trusted Centre publishes", async () => {
    const { runtime } = platform
    const receiver = await startWebhookReceiver()
    try {
      const hook = await registerWebhook(
        runtime.db,
        { agency: 'MDDI', url: receiver.url },
        'steward.mddi',
        new Date(),
        { allowPrivate: true },
      )
      await call('PUT', '/api/datasets/digital-services-register/follow', 'officer.moh')
      // MDDI's next delivery: every 2019 service now offers e-payment.
      const file = join(runtime.dataDir, 'mddi_digital_services-next.csv')
      const original = await readFile(
        join(runtime.dataDir, 'feeds', 'inbox', 'mddi_digital_services.csv'),
        'utf8',
      )
      await writeFile(
        file,
        original
          .split('\n')
          .map((line) =>
            /^SVC-\d+,.*,2019,false,/.test(line)
              ? line.replace(',2019,false,', ',2019,true,')
              : line,
          )
          .join('\n'),
      )
      expect((await runtime.trustedCentre.ingest('mddi_digital_services', file)).outcome).toBe(
        'ingested',
      )
      const [fused] = await runtime.trustedCentre.fuse('digital_services')
      const published = fused?.publication
      expect(published).toMatchObject({ created: true })
      const [notice] = await noticesOf('officer.moh', published?.datasetId ?? '', 1)
      expect(notice).toMatchObject({
        kind: 'dataset.version-published',
        title: `New version of Government digital services register: version ${published?.version}`,
        link: '/datasets/digital-services-register/history',
      })
      expect(notice?.body).toMatch(
        /^Version \d+ of Government digital services register was published with [\d,]+ rows\.$/,
      )
      const [listed] = await follows('officer.moh')
      expect(listed).toMatchObject({
        dataset: { slug: 'digital-services-register' },
        currentVersion: published?.version,
        lastEvent: { kind: 'dataset.version-published', title: notice?.title },
      })

      await vi.waitFor(async () => {
        await deliverDue(runtime.db, { now: () => new Date(), allowPrivate: true })
        const bodies = receiver.received.map((r) => JSON.parse(r.body))
        expect(bodies).toContainEqual(
          expect.objectContaining({
            type: 'dataset.version-published',
            dataset: expect.objectContaining({ slug: 'digital-services-register', agency: 'MDDI' }),
            version: published?.version,
          }),
        )
      })
      const delivery = receiver.received.find((r) => r.body.includes('digital-services-register'))
      expect(delivery?.headers['x-portal-signature']).toBe(
        signature(hook.secret, delivery?.body ?? ''),
      )
    } finally {
      await receiver.close()
    }
  })

  it('tells followers of a schema change and of failed checks, each with its page', async () => {
    const first = await publish('follow-schema-register', 'a', [
      { name: 'a', type: 'INTEGER' },
      { name: 'b', type: 'VARCHAR' },
    ])
    await call('PUT', '/api/datasets/follow-schema-register/follow', 'officer.moe')
    await publish(
      'follow-schema-register',
      'b',
      [
        { name: 'a', type: 'BIGINT' },
        { name: 'c', type: 'DATE' },
      ],
      [{ name: 'c_not_null', observed: 3 }],
    )
    const notices = await noticesOf('officer.moe', first.datasetId, 3)
    expect(
      notices.map((n) => ({ kind: n.kind, title: n.title, body: n.body, link: n.link })),
    ).toEqual([
      {
        kind: 'dataset.quality-failed',
        title: 'Version 2 of Follow test register failed 1 quality check',
        body: 'It was published nonetheless. Failed: c_not_null (measured 3, expected 0).',
        link: '/datasets/follow-schema-register/quality',
      },
      {
        kind: 'dataset.schema-changed',
        title: 'The columns of Follow test register changed in version 2',
        body: 'Compared with version 1: Added: c (DATE). Removed: b. Of another type now: a (was INTEGER, now BIGINT).',
        link: '/datasets/follow-schema-register/history',
      },
      {
        kind: 'dataset.version-published',
        title: 'New version of Follow test register: version 2',
        body: 'Version 2 of Follow test register was published with 12 rows.',
        link: '/datasets/follow-schema-register/history',
      },
    ])
  })

  it('lets stewards deprecate a dataset, naming its successor, and tells its followers', async () => {
    const { datasetId } = await publish('follow-old-register', 'c', [
      { name: 'a', type: 'INTEGER' },
    ])
    await call('PUT', '/api/datasets/follow-old-register/follow', 'officer.moe')
    const body = {
      reason: 'Replaced by the person and address register',
      successor: 'person-address-pa',
    }
    expect(
      (await call('PUT', '/api/datasets/follow-old-register/deprecation', 'officer.moe', body))
        .status,
    ).toBe(403)
    expect(
      (await call('PUT', '/api/datasets/follow-old-register/deprecation', 'steward.moh', body))
        .status,
    ).toBe(403)
    const deprecated = await call(
      'PUT',
      '/api/datasets/follow-old-register/deprecation',
      'steward.dos',
      body,
    )
    expect(deprecated.status).toBe(200)
    expect(deprecated.body.data).toEqual({
      deprecation: {
        at: expect.any(String),
        reason: body.reason,
        successor: {
          id: expect.stringMatching(/^d_/),
          slug: 'person-address-pa',
          title: expect.any(String),
        },
      },
    })
    const page = await call<{ deprecation: unknown }>(
      'GET',
      '/api/datasets/follow-old-register',
      'officer.moe',
    )
    expect(page.body.data.deprecation).toEqual(
      (deprecated.body.data as { deprecation: unknown }).deprecation,
    )
    const [notice] = await noticesOf('officer.moe', datasetId, 1)
    expect(notice).toMatchObject({
      kind: 'dataset.deprecated',
      title: 'Follow test register is deprecated',
      body: expect.stringMatching(
        /^Its stewards' reason: Replaced by the person and address register\. Use .+ instead\.$/,
      ),
      link: '/datasets/follow-old-register',
    })
    expect(
      (await follows('officer.moe')).find((f) => f.dataset.slug === 'follow-old-register'),
    ).toMatchObject({
      deprecated: true,
      lastEvent: { kind: 'dataset.deprecated' },
    })
    const history = await call<{ field: string; newValue: unknown }[]>(
      'GET',
      '/api/datasets/follow-old-register/changes',
      'officer.moe',
    )
    expect(history.body.data[0]).toMatchObject({
      field: 'deprecation',
      newValue: { reason: body.reason, successor: 'person-address-pa' },
    })
    const lifted = await call(
      'DELETE',
      '/api/datasets/follow-old-register/deprecation',
      'steward.dos',
    )
    expect(lifted.body.data).toEqual({ deprecation: null })
    const unknown = await call(
      'PUT',
      '/api/datasets/follow-old-register/deprecation',
      'steward.dos',
      { reason: body.reason, successor: 'no-such-register' },
    )
    expect(unknown.status).toBe(400)
  })

  it('tells nothing more to a follower who may no longer discover the dataset', async () => {
    const { datasetId } = await publish('follow-closing-register', 'd', [
      { name: 'a', type: 'INTEGER' },
    ])
    await call('PUT', '/api/datasets/follow-closing-register/follow', 'officer.moe')
    await call('PUT', '/api/datasets/follow-closing-register/follow', 'steward.dos')
    // Raised above what other agencies may discover: only DOS still sees it.
    await platform.runtime.db
      .updateTable('datasets')
      .set({ security_classification: 'confidential' })
      .where('id', '=', datasetId)
      .execute()
    await publish('follow-closing-register', 'f', [{ name: 'a', type: 'INTEGER' }])
    expect((await noticesOf('steward.dos', datasetId, 1))[0]?.kind).toBe(
      'dataset.version-published',
    )
    expect((await inbox('officer.moe')).filter((n) => n.subjectId === datasetId)).toEqual([])
    expect((await follows('officer.moe')).map((f) => f.dataset.slug)).not.toContain(
      'follow-closing-register',
    )
  })
})
