import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../../../../testing/index.js'
import { openPortal } from '../../../portal-test-kit.js'

// A query officer.moh saved over Official (Open) data, opened by another officer from its link.
const portal = openPortal({ signedInAs: 'officer.moe' })
let id: string

beforeAll(async () => {
  const res = await portal.app.request('/api/saved-queries', {
    method: 'POST',
    headers: { ...(await signInAs(portal.app, 'officer.moh')), 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Largest planning areas',
      description: 'Postal codes per planning area, the largest first',
      sql: 'SELECT planning_area_code, count(*) AS n FROM postal_geocode_reference WHERE planning_area_code <> $skip GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $top',
      parameters: [
        { name: 'skip', type: 'text' },
        { name: 'top', type: 'integer' },
      ],
    }),
  })
  expect(res.status, await res.clone().text()).toBe(201)
  id = ((await res.json()) as { data: { id: string } }).data.id
})

describe('a saved query opened from its link', () => {
  it('says whose it is, that it runs with your own access, and runs typed values', async () => {
    const user = userEvent.setup()
    portal.renderAt(`/queries/${id}`)
    expect(await screen.findByRole('heading', { level: 1, name: 'Largest planning areas' }))
    expect(screen.getByText(/Saved by Nur Aisyah \(MOH officer\)/)).toBeTruthy()
    expect(screen.getByText('Runs with your own access')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Copy link' })).toBeTruthy()

    const form = screen.getByRole('form', { name: 'Parameters of the query' })
    const top = within(form).getByRole('textbox', { name: /top \(whole number\)/ })
    await user.type(within(form).getByRole('textbox', { name: /skip \(text\)/ }), 'XX')
    await user.type(top, '3 OR 1=1')
    await user.click(within(form).getByRole('button', { name: 'Run' }))
    expect(top.getAttribute('aria-invalid')).toBe('true')
    expect(within(form).getByText('Give a whole number such as 42')).toBeTruthy()
    expect(document.activeElement).toBe(top)
    expect(screen.queryByRole('heading', { name: 'Results' })).toBeNull()

    await user.clear(top)
    await user.type(top, '3')
    await user.click(within(form).getByRole('button', { name: 'Run' }))
    const results = await screen.findByRole('region', { name: 'Results' }, { timeout: 15_000 })
    expect(within(results).getAllByRole('row')).toHaveLength(4)
    expect(within(results).getByRole('columnheader', { name: /planning_area_code/ })).toBeTruthy()
  }, 30_000)

  it('says plainly when the link leads to no saved query', async () => {
    portal.renderAt(`/queries/sq_${'0'.repeat(32)}`)
    expect(await screen.findByRole('heading', { name: 'No such saved query' })).toBeTruthy()
  })
})
