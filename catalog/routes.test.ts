import { describe, expect, it } from 'vitest'
import { useTestPlatform } from '../testing/index.js'

const platform = useTestPlatform({
  backend: 'pglite',
  signIn: ['steward.dos', 'steward.sla', 'officer.moh'],
})
const patch = (body: unknown, headers = platform.as['steward.dos']) =>
  platform.app.request('/api/datasets/person-address-pa', {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('catalogue edits through the API', () => {
  it('lets the owning steward edit metadata, records each change and audits it', async () => {
    const res = await patch({
      description: 'Every registered person placed in their planning area, for service planning.',
      tags: ['residents', 'service planning'],
      columns: [{ name: 'age_band', description: 'Age band of the person, in five bands' }],
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      data: {
        dataset: { tags: string[]; columns: { name: string; description: string }[] }
        changes: { field: string }[]
      }
    }
    expect(body.data.changes.map((c) => c.field)).toEqual([
      'description',
      'tags',
      'columns.age_band.description',
    ])
    expect(body.data.dataset.tags).toEqual(['residents', 'service planning'])
    expect(body.data.dataset.columns.find((c) => c.name === 'age_band')?.description).toBe(
      'Age band of the person, in five bands',
    )

    const history = await platform.app.request('/api/datasets/person-address-pa/changes', {
      headers: platform.as['steward.dos'],
    })
    const changes = (
      (await history.json()) as {
        data: { field: string; actor: string; oldValue: unknown; newValue: unknown }[]
      }
    ).data
    expect(changes[0]).toMatchObject({
      field: 'columns.age_band.description',
      actor: 'steward.dos',
      newValue: 'Age band of the person, in five bands',
    })
    const audit = await platform.runtime.audit.list({ limit: 5 })
    expect(audit.find((e) => e.action === 'dataset.update')).toMatchObject({
      actor: 'steward.dos',
      details: { fields: ['description', 'tags', 'columns.age_band.description'] },
    })

    // The new words are searchable at once.
    const search = await platform.app.request('/api/search?q=service%20planning', {
      headers: platform.as['steward.dos'],
    })
    const hits = (
      (await search.json()) as { data: { hits: { slug: string; matched: { tags: boolean } }[] } }
    ).data.hits
    expect(hits[0]).toMatchObject({ slug: 'person-address-pa', matched: { tags: true } })
  })

  it('refuses other agencies, bad input and unknown columns, changing nothing', async () => {
    const other = await patch({ title: 'Hijacked' }, platform.as['steward.sla'])
    expect(other.status).toBe(403)
    expect(((await other.json()) as { error: { message: string } }).error.message).toBe(
      'You may not change this dataset',
    )
    const bad = await patch({ title: 'x', contactEmail: 'not-an-email' })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      'title: a title needs at least 3 characters; contactEmail: must be an email address',
    )
    const unknown = await patch({ columns: [{ name: 'nric', description: 'x' }] })
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      "Dataset 'person-address-pa' has no column 'nric'",
    )
    expect((await patch({})).status).toBe(400)
    const page = await platform.app.request('/api/datasets/person-address-pa', {
      headers: platform.as['steward.dos'],
    })
    expect(((await page.json()) as { data: { title: string } }).data.title).toBe(
      'Persons by residential planning area',
    )
  })
})

describe('the glossary through the API', () => {
  it('keeps a glossary of business terms linked to columns, searchable and editable by stewards', async () => {
    const glossary = await platform.app.request('/api/glossary', {
      headers: platform.as['steward.dos'],
    })
    const terms = (
      (await glossary.json()) as {
        data: { term: string; columns: { dataset: string; column: string }[] }[]
      }
    ).data
    expect(terms.find((t) => t.term === 'Planning area')?.columns).toContainEqual({
      dataset: 'person-address-pa',
      column: 'planning_area_code',
    })

    const page = await platform.app.request('/api/datasets/postal-geocode-reference', {
      headers: platform.as['steward.dos'],
    })
    const detail = (
      (await page.json()) as { data: { glossary: Record<string, { term: string }[]> } }
    ).data
    expect(detail.glossary.region_code?.map((t) => t.term)).toEqual(['Region'])

    const linked = await patch({ columns: [{ name: 'sex', glossary: ['Resident', 'Region'] }] })
    expect(
      (
        (await linked.json()) as {
          data: { dataset: { glossary: Record<string, { term: string }[]> } }
        }
      ).data.dataset.glossary.sex?.map((t) => t.term),
    ).toEqual(['Region', 'Resident'])
    const unknown = await patch({ columns: [{ name: 'sex', glossary: ['Gender identity'] }] })
    expect(unknown.status).toBe(400)
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      "No glossary term 'Gender identity': GET /api/glossary lists them",
    )

    // A glossary term finds the datasets whose columns carry it.
    const search = await platform.app.request('/api/search?q=SSIC', {
      headers: platform.as['steward.dos'],
    })
    const hits = ((await search.json()) as { data: { hits: { slug: string }[] } }).data.hits
    expect(hits.map((h) => h.slug)).toContain('business-by-planning-area')
  })

  it('lets stewards and administrators define and redefine glossary terms, and nobody else', async () => {
    const send = (
      method: string,
      path: string,
      body: unknown,
      headers = platform.as['steward.dos'],
    ) =>
      platform.app.request(path, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const created = await send('POST', '/api/glossary', {
      term: 'Dwelling type',
      definition: 'The kind of home: HDB flat by room count, condominium, landed property.',
    })
    expect(created.status).toBe(201)
    const again = await send('POST', '/api/glossary', {
      term: 'dwelling TYPE',
      definition: 'The same term in other letters is still the same term.',
    })
    expect(again.status).toBe(409)
    expect(((await again.json()) as { error: { message: string } }).error.message).toBe(
      "Glossary term 'Dwelling type' already exists: PATCH /api/glossary/Dwelling%20type to change it",
    )
    const short = await send('POST', '/api/glossary', { term: 'X', definition: 'short' })
    expect(short.status).toBe(400)
    const message = ((await short.json()) as { error: { message: string } }).error.message
    expect(message).toContain('a term needs at least 2 characters')
    expect(message).toContain('a definition needs at least 10 characters')

    const officer = platform.as['officer.moh']
    const forbidden = await send(
      'PATCH',
      '/api/glossary/Dwelling%20type',
      { definition: 'An officer may read the glossary but not change it.' },
      officer,
    )
    expect(forbidden.status).toBe(403)

    // A rename reaches search at once: datasets whose columns carry the term are found by it.
    expect(
      await patch({ columns: [{ name: 'age_band', glossary: ['Dwelling type'] }] }),
    ).toHaveProperty('status', 200)
    const renamed = await send('PATCH', '/api/glossary/Dwelling%20type', {
      term: 'Housing form',
    })
    expect(renamed.status).toBe(200)
    expect(((await renamed.json()) as { data: { after: { term: string } } }).data.after.term).toBe(
      'Housing form',
    )
    const found = await platform.app.request('/api/search?q=housing%20form', {
      headers: platform.as['steward.dos'],
    })
    const hits = ((await found.json()) as { data: { hits: { slug: string }[] } }).data.hits
    expect(hits.map((h) => h.slug)).toContain('person-address-pa')
    const missing = await send('PATCH', '/api/glossary/Dwelling%20type', {
      definition: 'It was renamed, so this name no longer exists.',
    })
    expect(missing.status).toBe(404)

    const audit = await platform.runtime.audit.list({ limit: 10 })
    expect(audit.find((e) => e.action === 'glossary.update')).toMatchObject({
      actor: 'steward.dos',
      details: { before: { term: 'Dwelling type' }, after: { term: 'Housing form' } },
    })
  })
})

describe('the catalogue exported, searched and named through the API', () => {
  it('exports the public part of the catalogue as DCAT-AP JSON-LD without sign-in', async () => {
    const res = await platform.app.request('/api/dcat/catalog.jsonld')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/ld+json; charset=utf-8')
    const text = await res.text()
    expect(text).toContain('Postal code geocode reference')
    expect(text).toContain('Hourly weather readings by planning area')
    // Restricted and Official (Closed) datasets stay out of the public export.
    expect(text).not.toContain('person-address-pa')
    expect(text).not.toContain('Business entities by planning area')
  })

  it('searches with facets and filters from the query string', async () => {
    const res = await platform.app.request('/api/search?theme=Geospatial&sort=updated&pageSize=2', {
      headers: platform.as['steward.dos'],
    })
    const { data } = (await res.json()) as {
      data: {
        total: number
        hits: { slug: string }[]
        facets: { theme: { value: string; count: number }[] }
      }
    }
    expect(data.total).toBe(3)
    expect(data.hits).toHaveLength(2)
    expect(data.facets.theme.find((f) => f.value === 'Geospatial')?.count).toBe(3)
    const invalid = await platform.app.request('/api/search?sort=random', {
      headers: platform.as['steward.dos'],
    })
    expect(invalid.status).toBe(400)
  })

  it('keeps names as people see them: normalised, unique, never with invisible characters', async () => {
    const send = (method: string, path: string, body: unknown) =>
      platform.app.request(path, {
        method,
        headers: { ...platform.as['steward.dos'], 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const messageOf = async (res: Response) =>
      ((await res.json()) as { error: { message: string } }).error.message
    const definition = 'How many people live in a place, counted at mid-year.'

    const hidden = await send('POST', '/api/glossary', { term: 'Popu\u200Blation', definition })
    expect(hidden.status).toBe(400)
    expect(await messageOf(hidden)).toBe('term: contains an invisible character U+200B')
    const created = await send('POST', '/api/glossary', { term: ' Population ', definition })
    expect(created.status).toBe(201)
    expect(((await created.json()) as { data: { term: string } }).data.term).toBe('Population')
    // Full-width letters are the same letters: the same term.
    const fullWidth = await send('POST', '/api/glossary', {
      term: 'Ｐｏｐｕｌａｔｉｏｎ',
      definition,
    })
    expect(fullWidth.status).toBe(409)
    expect(await messageOf(fullWidth)).toMatch(/^Glossary term 'Population' already exists/)
    const renamed = await send('PATCH', '/api/glossary/Resident', { term: 'Resi\u202Edent' })
    expect(renamed.status).toBe(400)
    expect(await messageOf(renamed)).toBe('term: contains an invisible character U+202E')
    // A term picked for a column is found however it was typed.
    const linked = await patch({
      columns: [{ name: 'ｓｅｘ', glossary: ['Ｐｏｐｕｌａｔｉｏｎ'] }],
    })
    expect(linked.status).toBe(200)

    const tagged = await patch({
      tags: ['  Ｈｅａｌｔｈ   care ', 'health care', '\uFB01nance', 'Cafe\u0301'],
    })
    expect(tagged.status).toBe(200)
    expect(
      ((await tagged.json()) as { data: { dataset: { tags: string[] } } }).data.dataset.tags,
    ).toEqual(['Health care', 'finance', 'Café'])
    const hiddenTag = await patch({ tags: ['health', 'care\u0007'] })
    expect(await messageOf(hiddenTag)).toBe('tags.1: contains a control character U+0007')

    // Too much of anything is refused, naming the field.
    const long = await patch({ title: 'x'.repeat(201), tags: Array(51).fill('t') })
    expect(long.status).toBe(400)
    const message = await messageOf(long)
    expect(message).toMatch(/^title: Too big: expected string to have <=200 characters/)
    expect(message).toContain('tags: Too big: expected array to have <=50 items')
    const term = await send('POST', '/api/glossary', { term: 'x'.repeat(101), definition })
    expect(await messageOf(term)).toBe('term: at most 100 characters')
    const path = await platform.app.request(`/api/glossary/${'x'.repeat(2_049)}`, {
      method: 'PATCH',
      headers: { ...platform.as['steward.dos'], 'content-type': 'application/json' },
      body: JSON.stringify({ definition }),
    })
    expect(path.status).toBe(400)
    expect(await messageOf(path)).toBe(
      'path: a part of the address is longer than 2,048 characters',
    )
  })
})
