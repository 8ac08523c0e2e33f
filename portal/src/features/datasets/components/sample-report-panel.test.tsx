import { MantineProvider } from '@mantine/core'
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { SampleReport, VersionSample } from '../api/sample-report.js'
import { SampleReportPanel } from './sample-report-panel.js'

afterEach(cleanup)

const GEOGRAPHY = [
  'postal_code',
  'postal_sector',
  'planning_area_code',
  'planning_area_name',
  'region_code',
]

/** A person-level sample as the disclosure module reports it: places at planning area. */
function report(change: Partial<SampleReport> = {}): SampleReport {
  return {
    method: 'Global recoding over the lattice of generalisation hierarchies',
    k: 5,
    kReached: 7,
    l: 2,
    lReached: 3,
    drawnRows: 1000,
    rows: 956,
    suppressedRows: 44,
    maxSuppressedRows: 50,
    informationLoss: 0.4023,
    keep: {},
    keptAsAsked: true,
    lattice: { nodes: 960, evaluated: 412 },
    hierarchies: [
      {
        name: 'geography',
        columns: GEOGRAPHY,
        level: 'planning area',
        levels: ['postal code', 'postal sector', 'planning area', 'region', 'hidden'],
      },
      {
        name: 'age_band',
        columns: ['age_band'],
        level: 'hidden',
        levels: ['as published', 'bands 0-34, 35-64, 65+', 'hidden'],
      },
      {
        name: 'joined_year',
        columns: ['joined_year'],
        level: 'decades',
        levels: ['as published', '5-year periods', 'decades', 'hidden'],
      },
    ],
    columns: [
      {
        name: 'person_key',
        declared: 'direct-identifier',
        treatment: 'masked',
        reasons: ['labelled a direct identifier'],
      },
      {
        name: 'age_band',
        declared: 'quasi-identifier',
        treatment: 'quasi-identifier',
        shownAs: 'hidden',
        reasons: ['labelled a quasi-identifier', 'its name says it is an age or birth date'],
      },
      ...GEOGRAPHY.map((name) => ({
        name,
        declared: 'quasi-identifier' as const,
        treatment: 'quasi-identifier' as const,
        shownAs: 'planning area',
        reasons: ['labelled a quasi-identifier', 'its name says it is a place'],
      })),
      {
        name: 'joined_year',
        declared: 'none',
        treatment: 'quasi-identifier',
        shownAs: 'decades',
        reasons: ['its name says it is a date'],
      },
      {
        name: 'diagnosis',
        declared: 'sensitive',
        treatment: 'sensitive',
        shownAs: 'as published',
        reasons: ['labelled sensitive'],
      },
      {
        name: 'x_svy21',
        declared: 'none',
        treatment: 'measure',
        reasons: ['a quantity (590 distinct numbers)'],
      },
      {
        name: 'agency',
        declared: 'none',
        treatment: 'kept',
        reasons: ['a steward marked it none: public agencies are not people'],
      },
    ],
    ...change,
  }
}

const published = (r: SampleReport): VersionSample => ({
  status: 'published',
  rowCount: r.rows,
  k: r.k,
  details: { report: r } as never,
})

function renderPanel(sample: VersionSample) {
  return render(
    <MantineProvider>
      <SampleReportPanel sample={sample} />
    </MantineProvider>,
  )
}

/** Each column's row of the panel's table, as its cells read: column, label, shown as, why. */
function columnRows() {
  const table = screen.getByRole('table', { name: 'How each column is shown in the sample' })
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent))
}

describe('the sample report panel', () => {
  it('says what k and l the sample reached, what it suppressed and what it lost', () => {
    renderPanel(published(report()))
    const section = screen.getByRole('region', { name: 'How this sample was de-identified' })
    const facts = [...section.querySelectorAll('dt')].map((dt) => [
      dt.textContent,
      dt.nextElementSibling?.textContent,
    ])
    expect(facts).toEqual([
      ['k reached', '7 (at least 5 asked)'],
      ['l reached', '3 (at least 2 asked)'],
      ['Rows suppressed', '44 of 1,000 drawn (at most 50 allowed)'],
      ['Information loss', '40.2%'],
    ])
    expect(within(section).getByText(/shown as/).textContent).toContain('*')
  })

  it('says how every column is shown and why, with the levels of the report', () => {
    renderPanel(published(report()))
    expect(columnRows()).toEqual([
      [
        'person_key',
        'Direct identifier',
        'masked: a pseudonym that holds within this sample only',
        'labelled a direct identifier',
      ],
      [
        'age_band',
        'Quasi-identifier',
        'hidden (*)',
        'labelled a quasi-identifier; its name says it is an age or birth date',
      ],
      [
        'postal_code',
        'Quasi-identifier',
        'hidden (*): places are shown at planning area',
        'labelled a quasi-identifier; its name says it is a place',
      ],
      [
        'postal_sector',
        'Quasi-identifier',
        'hidden (*): places are shown at planning area',
        'labelled a quasi-identifier; its name says it is a place',
      ],
      [
        'planning_area_code',
        'Quasi-identifier',
        'planning area',
        'labelled a quasi-identifier; its name says it is a place',
      ],
      [
        'planning_area_name',
        'Quasi-identifier',
        'planning area',
        'labelled a quasi-identifier; its name says it is a place',
      ],
      [
        'region_code',
        'Quasi-identifier',
        'as published',
        'labelled a quasi-identifier; its name says it is a place',
      ],
      ['joined_year', 'Not personal', 'decades', 'its name says it is a date'],
      ['diagnosis', 'Sensitive', 'as published', 'labelled sensitive'],
      [
        'x_svy21',
        'Not personal',
        'as published: a quantity, outside the k-check',
        'a quantity (590 distinct numbers)',
      ],
      [
        'agency',
        'Not personal',
        'as published: a steward kept it out of the k-check',
        'a steward marked it none: public agencies are not people',
      ],
    ])
  })

  it('shows a postal code at sector level by its two sector digits', () => {
    const base = report()
    renderPanel(
      published({
        ...base,
        hierarchies: base.hierarchies.map((h) =>
          h.name === 'geography' ? { ...h, level: 'postal sector' } : h,
        ),
        columns: base.columns.map((c) =>
          GEOGRAPHY.includes(c.name) ? { ...c, shownAs: 'postal sector' } : c,
        ),
      }),
    )
    const shown = Object.fromEntries(columnRows().map((cells) => [cells[0], cells[2]]))
    expect(shown.postal_code).toBe('its first two digits (postal sector)')
    expect(shown.postal_sector).toBe('postal sector')
    expect(shown.planning_area_name).toBe('as published')
  })

  it('says when no sensitive column stays shown', () => {
    renderPanel(published(report({ lReached: null })))
    expect(screen.getByText('l reached').nextElementSibling?.textContent).toBe(
      'No sensitive column is shown',
    )
  })

  it('says when the level the steward asked to keep could not be kept, and where it went', () => {
    const base = report({ keep: { geography: 'postal sector' }, keptAsAsked: false })
    renderPanel(published(base))
    expect(
      screen.getByText(
        'Not kept as the steward asked (geography at postal sector): k = 5 could not be reached there, so geography is shown at planning area.',
      ),
    ).toBeTruthy()
    cleanup()
    renderPanel(published({ ...base, keep: { geography: 'planning area' }, keptAsAsked: true }))
    expect(screen.getByText('Kept as the steward asked: geography at planning area.')).toBeTruthy()
  })

  it("shows a refused sample's reason", () => {
    renderPanel({
      status: 'refused',
      k: 5,
      reason: 'No generalisation of the 12 rows gives every combination at least 5 rows',
    })
    const note = screen.getByRole('note')
    expect(within(note).getByText('No sample of this version')).toBeTruthy()
    expect(
      within(note).getByText(
        'No generalisation of the 12 rows gives every combination at least 5 rows',
      ),
    ).toBeTruthy()
  })

  it('says a sample made before reports cannot explain itself, and shows nothing without one', () => {
    const { container } = renderPanel({ status: 'published', rowCount: 200, k: 5, details: {} })
    expect(container.textContent).toContain(
      '200 de-identified rows, each combination of quasi-identifiers at least 5 times.',
    )
    cleanup()
    // No sample at all (none published yet): the panel adds nothing, not even a frame.
    expect(render(<SampleReportPanel sample={null} />).container.innerHTML).toBe('')
  })
})
