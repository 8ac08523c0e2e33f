import { describe, expect, it } from 'vitest'
import { createWorkingDayCalendar, PUBLIC_HOLIDAYS, singaporeDay } from './working-days.js'

const calendar = createWorkingDayCalendar()

describe('working-day calendar', () => {
  it('gives the +7 working days of DOMAIN.md §6, over CNY, Christmas and in-lieu days', () => {
    // Submission day is day 0; the seventh working day after it is the deadline.
    const examples: [string, string][] = [
      ['2025-04-25', '2025-05-07'], // skips Labour Day; Polling Day on a Saturday changes nothing
      ['2026-02-13', '2026-02-26'], // Chinese New Year, Feb 17–18
      ['2023-01-20', '2023-02-02'], // Chinese New Year, Jan 23 and Jan 24 in lieu
      ['2024-12-24', '2025-01-06'], // Christmas and New Year
      ['2026-05-26', '2026-06-08'], // Hari Raya Haji and Vesak in lieu
    ]
    for (const [submitted, due] of examples) {
      expect(calendar.addWorkingDays(submitted, 7), submitted).toBe(due)
      expect(calendar.workingDaysBetween(submitted, due), submitted).toBe(7)
      expect(calendar.workingDaysBetween(submitted, calendar.addWorkingDays(submitted, 6))).toBe(6)
    }
  })

  it('counts 252 working days in 2024', () => {
    let count = 0
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 86_400_000)
      if (calendar.isWorkingDay(new Date(t).toISOString().slice(0, 10))) count++
    expect(count).toBe(252)
  })

  it('starts a weekend or holiday submission on the next working day', () => {
    // Saturday 14 Feb 2026: day 0 is Monday 16 Feb; CNY follows, so day 1 is Thursday 19 Feb.
    expect(calendar.workingDaysBetween('2026-02-14', '2026-02-16')).toBe(0)
    expect(calendar.workingDaysBetween('2026-02-14', '2026-02-19')).toBe(1)
    expect(calendar.addWorkingDays('2026-02-17', 1)).toBe('2026-02-20')
    expect(calendar.workingDaysBetween('2026-02-20', '2026-02-19')).toBe(0)
  })

  it('names holidays and says which days rest on provisional dates', () => {
    expect(calendar.holiday('2026-11-09')).toBe('Deepavali (in lieu)')
    expect(calendar.isWorkingDay('2026-11-09')).toBe(false)
    expect(calendar.isConfirmed('2026-11-10')).toBe(true)
    expect(calendar.isConfirmed('2026-05-27')).toBe(false)
    expect(calendar.isConfirmed('2027-03-01')).toBe(false)
    expect(calendar.isConfirmed('2031-03-03')).toBe(false)
    // Beyond the table only weekends are known.
    expect(calendar.isWorkingDay('2031-03-03')).toBe(true)
  })

  it('keeps every holiday on a weekday, as the table promises', () => {
    for (const year of Object.values(PUBLIC_HOLIDAYS.years))
      for (const h of year.holidays) {
        const weekday = new Date(`${h.date}T00:00:00Z`).getUTCDay()
        expect(weekday, `${h.date} ${h.name}`).not.toBe(0)
        expect(weekday, `${h.date} ${h.name}`).not.toBe(6)
      }
  })

  it('takes the day in Singapore, eight hours ahead of UTC', () => {
    expect(singaporeDay(new Date('2026-02-16T15:59:59Z'))).toBe('2026-02-16')
    expect(singaporeDay(new Date('2026-02-16T16:00:00Z'))).toBe('2026-02-17')
  })
})
