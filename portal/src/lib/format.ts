const integer = new Intl.NumberFormat('en-SG')
const dateTime = new Intl.DateTimeFormat('en-SG', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Asia/Singapore',
})

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

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso))
}
