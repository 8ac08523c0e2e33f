import { describe, expect, it } from 'vitest'
import { describeFreshness } from './freshness.js'

const now = new Date('2026-12-20T04:00:00Z')
const published = (iso: string) => ({ version: 3, createdAt: iso })

describe('freshness of the current version', () => {
  it('is up to date within the update frequency, in words', () => {
    expect(describeFreshness(published('2026-12-08T04:00:00Z'), 'Monthly', now)).toEqual({
      status: 'up to date',
      text: 'Up to date: version 3 was published 12 days ago; the dataset is updated monthly.',
    })
    expect(describeFreshness(published('2026-12-20T03:30:00Z'), 'hourly', now).text).toBe(
      'Up to date: version 3 was published less than an hour ago; the dataset is updated hourly.',
    )
  })

  it('is overdue past the frequency, saying by when a version was due', () => {
    expect(describeFreshness(published('2026-12-10T04:00:00Z'), 'weekly', now)).toEqual({
      status: 'overdue',
      text: 'Overdue: version 3 was published 10 days ago, but the dataset is updated weekly; a new version was due by 17 Dec 2026.',
    })
    expect(describeFreshness(published('2024-06-01T00:00:00Z'), 'quarterly', now).text).toMatch(
      /^Overdue: version 3 was published 2 years ago,/,
    )
  })

  it('sets no date for an irregular dataset, and says when none is published', () => {
    expect(describeFreshness(published('2026-10-01T00:00:00Z'), 'irregular', now)).toEqual({
      status: 'unscheduled',
      text: 'Version 3 was published 2 months ago; the dataset is updated irregularly, so no new version is due by a set date.',
    })
    expect(describeFreshness(null, 'daily', now)).toEqual({
      status: 'unpublished',
      text: 'No version is published yet.',
    })
  })
})
