/** A KPI value in its unit, as a leader reads it: 81.2%, 20,104, 5 working days. */
export function formatKpiValue(value: number, unit: string): string {
  if (unit === 'percent') return `${value.toFixed(1)}%`
  if (unit === 'working-days') {
    const days = Number.isInteger(value) ? String(value) : value.toFixed(1)
    return `${days} working day${value === 1 ? '' : 's'}`
  }
  return Math.round(value).toLocaleString('en-SG')
}

/** The value a target must reach (or not exceed), for charts. */
export function targetLine(target: { kind: string; low?: number; high?: number; value?: number }) {
  return target.kind === 'band' ? (target.low as number) : (target.value as number)
}
