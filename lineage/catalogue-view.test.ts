import { describe, expect, it } from 'vitest'
import { systemAbility } from '../identity/index.js'
import { catalogueView, type LookUpCatalogue } from './catalogue-view.js'
import { PORTAL_NAMESPACE } from './producer.js'

/** A catalogue of two datasets, one of which the caller may not discover, that records what it is asked. */
function recordingCatalogue() {
  const asked: string[][] = []
  const held = new Map([
    ['open-data', true],
    ['secret-registry', false],
  ])
  const lookUp: LookUpCatalogue = async (slugs) => {
    asked.push([...slugs])
    return slugs.flatMap((slug) => {
      const discoverable = held.get(slug)
      return discoverable === undefined ? [] : [{ slug, discoverable }]
    })
  }
  return { asked, lookUp }
}

const ours = (name: string) => ({ namespace: PORTAL_NAMESPACE, name })
const theirs = (name: string) => ({ namespace: 's3://landing-bucket', name })

describe('the catalogue as lineage sees it', () => {
  it('hides a catalogue dataset not looked up yet, and shows other namespaces without asking', async () => {
    const catalogue = recordingCatalogue()
    const view = catalogueView(catalogue.lookUp, systemAbility())
    expect(view.visible.sees(ours('open-data'))).toBe(false)
    expect(view.opens('open-data')).toBe(false)
    expect(view.visible.sees(theirs('secret-registry'))).toBe(true)
    await view.visible.lookUp([theirs('anything')])
    expect(catalogue.asked).toEqual([])
  })

  it('asks the catalogue only about the datasets at hand, each once', async () => {
    const catalogue = recordingCatalogue()
    const view = catalogueView(catalogue.lookUp, systemAbility())
    await view.visible.lookUp([ours('open-data'), ours('secret-registry'), theirs('x')])
    await view.visible.lookUp([ours('open-data'), ours('lineage-only'), ours('lineage-only')])
    expect(catalogue.asked).toEqual([['open-data', 'secret-registry'], ['lineage-only']])
    // Discoverable: seen and linked; not discoverable: hidden; not in the catalogue: seen, unlinked.
    expect(view.visible.sees(ours('open-data'))).toBe(true)
    expect(view.opens('open-data')).toBe(true)
    expect(view.visible.sees(ours('secret-registry'))).toBe(false)
    expect(view.opens('secret-registry')).toBe(false)
    expect(view.visible.sees(ours('lineage-only'))).toBe(true)
    expect(view.opens('lineage-only')).toBe(false)
  })

  it('names the hidden ones among some names of our namespace', async () => {
    const catalogue = recordingCatalogue()
    const view = catalogueView(catalogue.lookUp, systemAbility())
    expect(await view.hiddenAmong(['secret-registry', 'open-data', 'lineage-only'])).toEqual([
      'secret-registry',
    ])
    expect(await view.hiddenAmong([])).toEqual([])
    expect(catalogue.asked).toEqual([['secret-registry', 'open-data', 'lineage-only']])
  })

  it('hides a catalogue dataset whose read rule answers anything but true', async () => {
    // A rule over a column that may be NULL answers NULL: the dataset must stay hidden.
    const view = catalogueView(
      async (slugs) => slugs.map((slug) => ({ slug, discoverable: null as unknown as boolean })),
      systemAbility(),
    )
    await view.visible.lookUp([ours('open-data')])
    expect(view.visible.sees(ours('open-data'))).toBe(false)
    expect(view.opens('open-data')).toBe(false)
    expect(await view.hiddenAmong(['open-data'])).toEqual(['open-data'])
  })
})
