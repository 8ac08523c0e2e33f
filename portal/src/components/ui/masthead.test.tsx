import { MantineProvider } from '@mantine/core'
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { Masthead } from './masthead.js'

afterEach(cleanup)

describe('the Singapore Government masthead', () => {
  it('says whose website it is and opens how to identify one, by keyboard', async () => {
    const user = userEvent.setup()
    render(
      <MantineProvider>
        <Masthead />
      </MantineProvider>,
    )
    expect(screen.getByText('A Singapore Government Agency Website')).toBeTruthy()
    const toggle = screen.getByRole('button', { name: 'How to identify' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    const panel = document.getElementById(toggle.getAttribute('aria-controls') ?? '')
    expect(panel?.hidden).toBe(true)
    // Closed, the explanation is out of the accessibility tree.
    expect(screen.queryByRole('link', { name: 'Trusted websites' })).toBeNull()

    await user.tab()
    expect(document.activeElement).toBe(toggle)
    await user.keyboard('{Enter}')
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect(panel?.hidden).toBe(false)
    expect(screen.getByText('Official website links end with .gov.sg')).toBeTruthy()
    expect(screen.getByText('Secure websites use HTTPS')).toBeTruthy()
    expect(screen.getByRole('img', { name: 'a padlock' })).toBeTruthy()
    expect(screen.getByRole('link', { name: 'Trusted websites' }).getAttribute('href')).toBe(
      'https://www.gov.sg/trusted-sites#govsites',
    )

    await user.keyboard(' ')
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(panel?.hidden).toBe(true)
  })
})
