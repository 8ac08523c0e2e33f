const integer = new Intl.NumberFormat('en-SG')
const dateTime = new Intl.DateTimeFormat('en-SG', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Asia/Singapore',
})
const day = new Intl.DateTimeFormat('en-SG', { dateStyle: 'medium', timeZone: 'Asia/Singapore' })

export function formatCount(value: number): string {
  return integer.format(value)
}

/**
 * A count with its noun, singular or plural as the count wants: "1 row", "2,500 rows",
 * "1 working day".
 */
export function formatQuantity(value: number, one: string, many = `${one}s`): string {
  return `${formatCount(value)} ${value === 1 ? one : many}`
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`
}

/** A moment in Singapore time, in the portal's one style: "7 Dec 2026, 3:35 pm". */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso))
}

/**
 * A day in the portal's one style: "7 Dec 2026". Takes a calendar day (`2026-12-07`, shown as
 * it is) or a moment (ISO 8601 with a time, shown as the day it is in Singapore).
 */
export function formatDay(isoDayOrTime: string): string {
  const calendarDay = /^\d{4}-\d{2}-\d{2}$/.test(isoDayOrTime)
  return calendarDay
    ? day.format(new Date(`${isoDayOrTime}T00:00:00+08:00`))
    : day.format(new Date(isoDayOrTime))
}
