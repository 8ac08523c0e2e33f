import type { VersionSchemaColumn } from './catalog-tables.js'

/** How a version's columns differ from the version before: added, removed, or of another type. */
export interface SchemaChange {
  added: VersionSchemaColumn[]
  removed: VersionSchemaColumn[]
  retyped: { name: string; from: string; to: string }[]
}

/** The columns `next` adds, drops and retypes compared with `previous`, each in schema order. */
export function schemaChangeBetween(
  previous: readonly VersionSchemaColumn[],
  next: readonly VersionSchemaColumn[],
): SchemaChange {
  const before = new Map(previous.map((c) => [c.name, c.type]))
  const after = new Set(next.map((c) => c.name))
  return {
    added: next.filter((c) => !before.has(c.name)),
    removed: previous.filter((c) => !after.has(c.name)),
    retyped: next.flatMap((c) => {
      const from = before.get(c.name)
      return from !== undefined && from !== c.type ? [{ name: c.name, from, to: c.type }] : []
    }),
  }
}
