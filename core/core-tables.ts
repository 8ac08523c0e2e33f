/** Rows of the kernel's tables: the processes on record and the shared rate limits. */
export interface CoreTables {
  processes: ProcessRow
  rate_limits: RateLimitRow
}

/** Requests counted for one key (a person's changes) in one minute, shared by every replica. */
export interface RateLimitRow {
  key: string
  window_start: Date
  hits: number
}

/** A server or command process that is alive while it beats (see process-registry.ts). */
export interface ProcessRow {
  id: string
  kind: string
  host: string
  pid: number
  started_at: Date
  heartbeat_at: Date
}
