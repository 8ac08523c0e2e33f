import { DuckDBInstance } from '@duckdb/node-api'

export type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'

/** Resource limits of an in-process DuckDB engine. */
export interface DuckDbOptions {
  threads: number
  memoryLimit: string
  /** Where DuckDB may spill; defaults to DuckDB's own choice. */
  tempDirectory?: string
}

/**
 * Opens an in-memory DuckDB engine for ingest and fusion. Extensions are never fetched at run
 * time: only the statically linked ones (parquet, json, icu) are available.
 */
export async function openDuckDb(options: DuckDbOptions): Promise<DuckDBInstance> {
  return DuckDBInstance.create(':memory:', {
    threads: String(options.threads),
    memory_limit: options.memoryLimit,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    ...(options.tempDirectory ? { temp_directory: options.tempDirectory } : {}),
  })
}
