/** The formats a query can answer in. */
export const QUERY_FORMATS = ['json', 'csv', 'ndjson', 'arrow', 'parquet'] as const
export type QueryFormat = (typeof QUERY_FORMATS)[number]

/**
 * The formats a dataset version can be downloaded in (`json` is NDJSON, one object a line;
 * `zip`, for samples, is CSV beside the sample's report).
 */
export const EXTRACT_FORMATS = ['csv', 'parquet', 'arrow', 'json', 'zip'] as const
export type ExtractFormat = (typeof EXTRACT_FORMATS)[number]

/** The formats of a file answer: written whole by a worker, streamed while it is written. */
export type FileFormat = Exclude<QueryFormat, 'json'>

export const ARROW_MEDIA_TYPE = 'application/vnd.apache.arrow.stream'

/** Each file format: its media type, file extension, and how DuckDB's COPY writes it (if it does). */
export const FILE_FORMATS: Record<FileFormat, { media: string; extension: string; copy?: string }> =
  {
    parquet: {
      media: 'application/vnd.apache.parquet',
      extension: 'parquet',
      copy: 'FORMAT parquet, COMPRESSION zstd',
    },
    // Quoting nothing itself: the worker writes each field that may need quotes (csv-cells.ts).
    csv: {
      media: 'text/csv; charset=utf-8',
      extension: 'csv',
      copy: "FORMAT csv, HEADER true, QUOTE ''",
    },
    ndjson: {
      media: 'application/x-ndjson; charset=utf-8',
      extension: 'ndjson',
      copy: 'FORMAT json',
    },
    // Converted from DuckDB's chunks by us (DuckDB's Node API has no Arrow output).
    arrow: { media: ARROW_MEDIA_TYPE, extension: 'arrows' },
  }

/** The file format an extract format is written in. */
export const fileFormatOf = (format: ExtractFormat): FileFormat =>
  format === 'json' ? 'ndjson' : format === 'zip' ? 'csv' : format

/** SQL text as a quoted string literal (paths in COPY and read_parquet). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}
