// Part of the SQL gate, which runs inside lean query workers: imports nothing of ours.

/**
 * Functions refused wherever they are called, qualified or not, each group with the reason its
 * refusal gives. The principle: a function may run only if its answer depends on its arguments
 * and the rows the caller may read. Refused are those that read the engine's settings,
 * variables, environment or version; its catalog (schemas, views, sequences, privileges,
 * storage statistics); other queries and sessions; files, logs and secrets; those that take the
 * name of a table, file, sequence or setting as a string (a name in a string escapes the table
 * check); those that parse, plan or run other SQL; and those that change the engine's state or
 * hold a worker idle. Table functions are all refused by the FROM rule; their names appear here
 * only so that a scalar twin added later is refused too. sql-gate.test.ts enumerates
 * duckdb_functions(), so a DuckDB upgrade adding a function with a telling name fails until
 * someone decides.
 */
const REFUSED_FUNCTIONS: Readonly<Record<string, string>> = {
  "reads the engine's settings, variables or environment":
    'current_setting getvariable getenv version',
  "reads the engine's catalog": `current_catalog current_database current_schema current_schemas
    in_search_path get_block_size nextval currval map_to_pg_oid col_description obj_description
    shobj_description format_type format_pg_type sql_auto_complete`,
  // Parquet statistics cover the whole file, so stats() shows values a view's filter removes.
  "reads storage statistics that reach past your view's filters": 'stats',
  'reads other queries and sessions': `current_query current_query_id current_connection_id
    current_transaction_id txid_current inet_client_addr inet_client_port inet_server_addr
    inet_server_port`,
  'parses, plans or runs other SQL': `query query_table json_serialize_sql json_deserialize_sql
    json_serialize_plan json_execute_serialized_sql`,
  'reads files or secrets': 'glob sniff_csv which_secret icu_calendar_names',
  "changes the engine's state or holds a worker idle":
    'write_log setseed sleep_ms checkpoint force_checkpoint',
}

/** Whole families refused by name, with the reason their refusal gives. */
const REFUSED_FUNCTION_FAMILIES: readonly [RegExp, string][] = [
  [/^(read_|parquet_)/, 'reads files'],
  [/^(duckdb_|pragma_)/, "reads the engine's own tables"],
  [/^(pg_|sqlite_|has_\w*_privilege$)/, "reads the engine's catalog"],
]

const REFUSAL_REASONS: ReadonlyMap<string, string> = new Map(
  Object.entries(REFUSED_FUNCTIONS).flatMap(([reason, names]) =>
    names.split(/\s+/).map((name) => [name, reason] as const),
  ),
)

/**
 * Words DuckDB binds as function calls when no column has that name, and which reveal the
 * catalog or search path (current_user and its kin return the constant 'duckdb' and may stay).
 */
export const REFUSED_BARE_WORDS: ReadonlySet<string> = new Set([
  'current_catalog',
  'current_schema',
])

/** Why a function is refused, or undefined when it may run. */
export function refusalReason(fn: string): string | undefined {
  return (
    REFUSAL_REASONS.get(fn) ?? REFUSED_FUNCTION_FAMILIES.find(([family]) => family.test(fn))?.[1]
  )
}

/** DuckDB folds identifiers in ASCII only: JS toLowerCase would equate 'K' (Kelvin) with 'k'. */
export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase())
}
