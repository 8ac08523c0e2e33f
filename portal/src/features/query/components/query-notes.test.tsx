import { MantineProvider } from '@mantine/core'
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { QueryNotes } from './query-notes.js'

afterEach(cleanup)

const renderNotes = (notes: string[]) =>
  render(
    <MantineProvider>
      <QueryNotes notes={notes} />
    </MantineProvider>,
  )

const CONTRADICTION =
  "Your grant on Persons by residential planning area covers only rows where region_code is CR or ER; region_code = 'WR' matches none of them"
const NO_ROWS =
  'No rows: your grant on Business entities by planning area and industry covers only rows where ssic_section is G'

describe('the notes beside an answer', () => {
  it('shows nothing when there is nothing to say', () => {
    renderNotes([])
    expect(screen.queryByRole('status')).toBeNull()
    expect(screen.queryByText('About your access')).toBeNull()
  })

  it('says one note as a sentence, under a heading about access', () => {
    renderNotes([CONTRADICTION])
    const status = screen.getByRole('status')
    expect(within(status).getByText('About your access')).toBeTruthy()
    expect(within(status).getByText(CONTRADICTION)).toBeTruthy()
    expect(within(status).queryByRole('list')).toBeNull()
  })

  it('lists several notes, one to a line', () => {
    renderNotes([CONTRADICTION, NO_ROWS])
    const items = within(screen.getByRole('status')).getAllByRole('listitem')
    expect(items.map((item) => item.textContent)).toEqual([CONTRADICTION, NO_ROWS])
  })
})
