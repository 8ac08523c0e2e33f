import holidayData from './public-holidays.json' with { type: 'json' }

/** A calendar day in Singapore, `YYYY-MM-DD`. */
export type Day = string

export interface HolidayTable {
  years: Record<
    string,
    { provisional: boolean; holidays: { date: Day; name: string; provisional?: boolean }[] }
  >
}

/**
 * Government working days: Monday to Friday except gazetted public holidays (in-lieu days
 * included), with the holidays kept as data (reference/public-holidays.json), not code.
 *
 * Counting follows the convention of ../shared/DOMAIN.md §6: the day something starts is day 0,
 * counting begins on the next working day, and a start on a weekend or holiday counts as a start
 * on the next working day.
 */
export interface WorkingDayCalendar {
  isWorkingDay(day: Day): boolean
  /** The holiday's name, if `day` is a weekday public holiday. */
  holiday(day: Day): string | undefined
  /** The `n`-th working day after `start` (day 0). */
  addWorkingDays(start: Day, n: number): Day
  /** Working days from `start` (day 0) to `end`, counting `end`; 0 when `end` is not later. */
  workingDaysBetween(start: Day, end: Day): number
  /** False when the day's year is not in the table or is provisional, or the day is provisional. */
  isConfirmed(day: Day): boolean
}

export const PUBLIC_HOLIDAYS: HolidayTable = holidayData

const SINGAPORE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Singapore',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** The Singapore calendar day of an instant (UTC+8, no daylight saving). */
export function singaporeDay(instant: Date): Day {
  return SINGAPORE.format(instant)
}

const DAY_MS = 86_400_000
const toTime = (day: Day) => Date.parse(`${day}T00:00:00Z`)
const toDay = (time: number): Day => new Date(time).toISOString().slice(0, 10)
const nextDay = (day: Day) => toDay(toTime(day) + DAY_MS)

export function createWorkingDayCalendar(
  table: HolidayTable = PUBLIC_HOLIDAYS,
): WorkingDayCalendar {
  const holidays = new Map<Day, { name: string; provisional: boolean }>()
  for (const year of Object.values(table.years))
    for (const h of year.holidays)
      holidays.set(h.date, { name: h.name, provisional: Boolean(h.provisional) })

  const isWorkingDay = (day: Day) => {
    const weekday = new Date(toTime(day)).getUTCDay()
    return weekday !== 0 && weekday !== 6 && !holidays.has(day)
  }
  /** The working day a start on `day` counts from: itself, or the next one. */
  const startOf = (day: Day) => {
    let d = day
    while (!isWorkingDay(d)) d = nextDay(d)
    return d
  }

  return {
    isWorkingDay,
    holiday: (day) => holidays.get(day)?.name,
    addWorkingDays(start, n) {
      let day = startOf(start)
      for (let counted = 0; counted < n; ) {
        day = nextDay(day)
        if (isWorkingDay(day)) counted++
      }
      return day
    },
    workingDaysBetween(start, end) {
      let count = 0
      for (let day = nextDay(startOf(start)); day <= end; day = nextDay(day))
        if (isWorkingDay(day)) count++
      return count
    },
    isConfirmed(day) {
      const year = table.years[day.slice(0, 4)]
      return Boolean(year && !year.provisional && !holidays.get(day)?.provisional)
    },
  }
}
