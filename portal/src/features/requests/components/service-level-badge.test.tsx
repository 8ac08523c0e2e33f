import { MantineProvider } from '@mantine/core'
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ServiceLevelBadge } from './service-level-badge.js'

afterEach(cleanup)

type Level = Parameters<typeof ServiceLevelBadge>[0]['level']
const level = (fields: Partial<Level>): Level => ({
  limit: 7,
  workingDays: 1,
  due: null,
  status: 'met',
  decisionWorkingDays: null,
  confirmed: true,
  ...fields,
})
const badgeText = (of: Level) => {
  render(
    <MantineProvider>
      <ServiceLevelBadge level={of} />
    </MantineProvider>,
  )
  const text = screen.getByText(/day/).textContent
  cleanup()
  return text
}

describe('the working-day clock of a request, in words', () => {
  it('counts one day as one and more as many', () => {
    expect(badgeText(level({ status: 'met', decisionWorkingDays: 1 }))).toBe(
      'Decided in 1 working day',
    )
    expect(badgeText(level({ status: 'missed', workingDays: 9, decisionWorkingDays: 9 }))).toBe(
      'Decided in 9 working days (over 7)',
    )
  })

  it('says how long a withdrawn request ran, rather than repeat its status', () => {
    expect(badgeText(level({ status: 'closed', workingDays: 2 }))).toBe(
      'Clock stopped after 2 working days',
    )
  })
})
