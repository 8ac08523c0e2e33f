import { InvalidInputError } from '../core/index.js'

/** A dataset's columns as requests and approvals name them. */
export interface DatasetColumns {
  names: string[]
  /** The only columns ever masked; an approval may show some of them in clear. */
  directIdentifiers: string[]
}

const quoted = (columns: string[]) => columns.map((c) => `'${c}'`).join(', ')

/** Every column must exist in the dataset; the message names those that do not. */
export function assertKnownColumns(dataset: DatasetColumns, columns: string[]): void {
  const known = new Set(dataset.names)
  const unknown = columns.filter((c) => !known.has(c))
  if (unknown.length > 0)
    throw new InvalidInputError(
      `columns: no column ${quoted(unknown)} in this dataset (it has ${[...known].join(', ')})`,
    )
}

/** Columns shown in clear must be the dataset's direct identifiers (others are never masked). */
export function assertDirectIdentifiers(dataset: DatasetColumns, columns: string[]): void {
  const direct = new Set(dataset.directIdentifiers)
  const other = columns.filter((c) => !direct.has(c))
  if (other.length > 0)
    throw new InvalidInputError(
      `inClear: ${quoted(other)} ${other.length === 1 ? 'is' : 'are'} not a direct identifier of this dataset (${[...direct].join(', ') || 'it has none'})`,
    )
}
