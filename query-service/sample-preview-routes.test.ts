import { existsSync } from 'node:fs'
import { readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SAMPLE_PREVIEW_ROWS, type SamplePreview } from '../disclosure/index.js'
import { useTestPlatform } from '../testing/index.js'

const platform = useTestPlatform({ backend: 'pglite', signIn: ['officer.moe', 'officer.moh'] })

/** The published sample of the persons dataset: its version, its file and its preview's. */
async function personsSample() {
  const views = await platform.call<{ name: string; version: number }[]>(
    'GET',
    '/api/query/views',
    'officer.moe',
  )
  const version = views.body.data.find((v) => v.name === 'person_address_pa_sample')?.version
  if (!version) throw new Error('No sample of the persons dataset in the fixture data')
  const dir = join(platform.runtime.dataDir, 'samples', 'person-address-pa')
  return {
    version,
    path: `/api/datasets/person-address-pa/versions/${version}/preview`,
    file: join(dir, `v${version}.parquet`),
    previewFile: join(dir, `v${version}.preview.json`),
  }
}

describe("a sample's preview", () => {
  it('shows the rows a query of the sample would, read from the file kept at publication', async () => {
    const sample = await personsSample()
    // Kept beside the sample when the Trusted Centre published it.
    expect(existsSync(sample.previewFile)).toBe(true)
    const preview = await platform.call<SamplePreview>('GET', sample.path, 'officer.moe')
    expect(preview.status).toBe(200)
    expect(preview.body.data).toEqual(JSON.parse(await readFile(sample.previewFile, 'utf8')))
    // What the dataset page showed when it ran a query: the same columns, types and rows.
    const asked = await platform.call<SamplePreview>('POST', '/api/query', 'officer.moe', {
      sql: `SELECT * FROM person_address_pa_sample LIMIT ${SAMPLE_PREVIEW_ROWS}`,
      format: 'json',
    })
    expect(asked.status).toBe(200)
    expect(preview.body.data).toEqual({
      columns: asked.body.data.columns,
      rows: asked.body.data.rows,
      rowCount: SAMPLE_PREVIEW_ROWS,
    })
    expect(preview.body.data.columns.map((c) => c.name)).toContain('planning_area_code')
    expect(platform.runtime.query.samplePreviews.made()).toBe(0)
  })

  it('is answered without reading the sample: no query, no engine', async () => {
    const sample = await personsSample()
    const before = await platform.call<SamplePreview>('GET', sample.path, 'officer.moe')
    // With the sample's Parquet gone, only the kept file can answer.
    await rename(sample.file, `${sample.file}.away`)
    try {
      const res = await platform.call<SamplePreview>('GET', sample.path, 'officer.moe')
      expect(res.status).toBe(200)
      expect(res.body.data).toEqual(before.body.data)
    } finally {
      await rename(`${sample.file}.away`, sample.file)
    }
    expect(platform.runtime.query.samplePreviews.made()).toBe(0)
  })

  it('is made once from the sample for a version published before previews were kept', async () => {
    const sample = await personsSample()
    const kept = JSON.parse(await readFile(sample.previewFile, 'utf8')) as SamplePreview
    await rm(sample.previewFile)
    const answers = await Promise.all(
      [1, 2, 3].map(() => platform.call<SamplePreview>('GET', sample.path, 'officer.moe')),
    )
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    for (const answer of answers) expect(answer.body.data).toEqual(kept)
    expect(platform.runtime.query.samplePreviews.made()).toBe(1)
    expect(JSON.parse(await readFile(sample.previewFile, 'utf8'))).toEqual(kept)
    await platform.call('GET', sample.path, 'officer.moe')
    expect(platform.runtime.query.samplePreviews.made()).toBe(1)
  })

  it('is for whoever may download the sample, of its published version only', async () => {
    const sample = await personsSample()
    const anonymous = await platform.app.request(sample.path)
    expect(anonymous.status).toBe(401)
    // Official (Open) data comes whole, with no sample to preview.
    const open = await platform.call(
      'GET',
      '/api/datasets/postal-geocode-reference/versions/1/preview',
      'officer.moe',
    )
    expect(open.status).toBe(404)
    expect(open.body.error.message).toBe("No sample of 'postal-geocode-reference' for you")
    const other = await platform.call(
      'GET',
      `/api/datasets/person-address-pa/versions/${sample.version + 1}/preview`,
      'officer.moe',
    )
    expect(other.status).toBe(404)
    expect(other.body.error.message).toBe(
      `No sample ${sample.version + 1} of 'person-address-pa' for you: v${sample.version} available`,
    )
    const unknown = await platform.call(
      'GET',
      '/api/datasets/no-such-dataset/versions/1/preview',
      'officer.moh',
    )
    expect(unknown.status).toBe(404)
  })
})
