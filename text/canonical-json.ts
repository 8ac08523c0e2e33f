/**
 * JSON with object keys sorted at every level and no whitespace, so the same value always gives
 * the same text, whichever database stored it (jsonb reorders keys). Dates become ISO strings.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    // Filled in key order with no lists in between: audit entries and lineage events are hashed
    // through this, several per request. No prototype, so a key named __proto__ (JSON.parse
    // makes one an own key) is a key here too, not a change of prototype.
    const sorted: Record<string, unknown> = Object.create(null)
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key]
      if (field !== undefined) sorted[key] = sortKeys(field)
    }
    return sorted
  }
  return value
}
