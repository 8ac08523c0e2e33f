import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { openPortal } from '../portal-test-kit.js'

const portal = openPortal({ signedInAs: 'officer.moe' })

describe('the government masthead on every page', () => {
  it('tops a signed-in page, the skip link still the first Tab', async () => {
    const user = userEvent.setup()
    portal.renderAt('/')
    // The first page of the file loads its code first: on a busy machine, a while.
    await screen.findByRole(
      'link',
      { name: 'Persons by residential planning area' },
      { timeout: 20_000 },
    )
    const banner = screen.getByRole('banner')
    expect(within(banner).getByText('A Singapore Government Agency Website')).toBeTruthy()
    await user.tab()
    expect(document.activeElement?.textContent).toBe('Skip to content')
    await user.tab()
    expect(document.activeElement).toBe(
      within(banner).getByRole('button', { name: 'How to identify' }),
    )
  })

  it('tops the sign-in page too', async () => {
    portal.clearCookies()
    const user = userEvent.setup()
    portal.renderAt('/sign-in')
    const toggle = await screen.findByRole('button', { name: 'How to identify' })
    expect(
      within(screen.getByRole('banner')).getByRole('button', { name: 'How to identify' }),
    ).toBe(toggle)
    await user.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect(screen.getByText('Secure websites use HTTPS')).toBeTruthy()
  })
})
