import { describe, expect, it } from 'vitest'
import { judgeSql, MAX_SQL_LENGTH, precheckSql } from './sql-gate.js'
import { useGate, VIEWS } from './sql-gate-test-kit.js'

const UNKNOWN = (name: string) =>
  `'${name}' is not one of your views: the workbench lists the ones you hold`

/**
 * Function names that suggest the engine's state: every DuckDB function matching this must be
 * refused by the gate or listed in HARMLESS, so an upgrade that adds one fails until someone decides.
 */
const SENSITIVE =
  /setting|variable|env|file|read|glob|catalog|schema|table|view|extension|secret|query|log|pragma|duckdb_|pg_|sqlite/i

/** Functions whose names match SENSITIVE but which read only their arguments. */
const HARMLESS: Record<string, string> = {
  damerau_levenshtein: 'string',
  levenshtein: 'string',
  log: 'math',
  log10: 'math',
  log2: 'math',
  formatReadableSize: 'format',
  formatReadableDecimalSize: 'format',
  parse_filename: 'string',
  parse_duckdb_log_message: 'string',
  regexp_split_to_table: 'string',
}

/** Words DuckDB binds as function calls without parentheses, allowed as constants. */
const HARMLESS_BARE_WORDS: Record<string, string> = {
  current_date: 'clock',
  current_role: 'constant',
  current_user: 'constant',
  session_user: 'constant',
  user: 'constant',
}

const gate = useGate()
const { judge } = gate

describe('SQL gate refusals', () => {
  it('refuses a CTE referenced outside the subquery that defines it, where it stands', async () => {
    const sql = 'SELECT * FROM (WITH duckdb_views AS (SELECT 1) SELECT 1) t, duckdb_views'
    expect(await judge(sql)).toEqual({
      ok: false,
      message: UNKNOWN('duckdb_views'),
      position: sql.lastIndexOf('duckdb_views'),
      unknownView: 'duckdb_views',
    })
  })

  it('refuses a file path hidden behind an out-of-scope CTE of the same name', async () => {
    const sql =
      'SELECT * FROM \'some/file.parquet\' WHERE EXISTS (WITH "some/file.parquet" AS (SELECT 1) SELECT 1)'
    expect(await judge(sql)).toEqual({
      ok: false,
      message:
        "File names cannot be read as tables ('some/file.parquet'): read one of your views (the workbench lists the views you hold)",
      position: 14,
    })
  })

  it('compares names in ASCII only, as DuckDB does (a Kelvin sign is not a K)', async () => {
    const sql = 'WITH "DUC\u212ADB_VIEWS" AS (SELECT 1) SELECT * FROM duckdb_views'
    expect(await judge(sql)).toEqual({
      ok: false,
      message: UNKNOWN('duckdb_views'),
      position: sql.lastIndexOf('duckdb_views'),
      unknownView: 'duckdb_views',
    })
  })

  it('names the schema or catalog a table is in', async () => {
    expect(await judge('SELECT * FROM persons, information_schema.tables')).toEqual({
      ok: false,
      message:
        "Only your views can be read, and 'information_schema.tables' is in 'information_schema', another schema or catalog: write the view's name alone (the workbench lists the views you hold)",
      position: 23,
    })
    expect(await judge('SELECT * FROM system.main.persons')).toMatchObject({
      ok: false,
      message: expect.stringContaining("is in 'system'"),
    })
  })

  it('refuses a function that reads a setting, where it is called', async () => {
    const sql = "SELECT * FROM persons WHERE age_band = current_setting('allowed_paths')"
    expect(await judge(sql)).toEqual({
      ok: false,
      message:
        "The function current_setting() cannot be used here: it reads the engine's settings, variables or environment",
      position: sql.indexOf('current_setting'),
    })
  })

  it('refuses table functions and SHOW with what to do instead', async () => {
    expect(await judge("SELECT * FROM read_parquet('x.parquet')")).toEqual({
      ok: false,
      message:
        'Table functions such as read_parquet() cannot be used here: only your views can be read (the workbench lists the views you hold)',
      position: 14,
    })
    expect(await judge('DESCRIBE persons')).toEqual({
      ok: false,
      message:
        'SHOW, DESCRIBE and SUMMARIZE are refused: the workbench lists your views with their columns',
    })
  })

  it('refuses statements that are not one SELECT', async () => {
    expect(await judge('DROP VIEW persons')).toEqual({
      ok: false,
      message:
        'Only one SELECT can run here (WITH … SELECT, UNION and subqueries are fine): statements that change, load, attach, copy, configure or describe are refused',
    })
    expect(await judge('SELECT * FROM persons; SELECT * FROM weather')).toEqual({
      ok: false,
      message:
        'One statement at a time: this text holds 2. Remove all but one (and the semicolons between them)',
    })
    expect(await judge(';')).toEqual({
      ok: false,
      message: 'The SQL text holds no statement: write one SELECT over your views',
    })
  })

  it("reports a syntax error with DuckDB's words, at the token it names", async () => {
    const sql = "SELECT 'é😀', * FORM persons"
    expect(await judge(sql)).toEqual({
      ok: false,
      message: 'Syntax error: syntax error at or near "persons"',
      position: sql.indexOf('persons'),
    })
  })

  it('counts positions in UTF-16 units after multi-byte characters', async () => {
    const sql = "SELECT 'é😀' AS e, * FROM persons, duckdb_settings"
    expect(await judge(sql)).toEqual({
      ok: false,
      message: UNKNOWN('duckdb_settings'),
      position: sql.indexOf('duckdb_settings'),
      unknownView: 'duckdb_settings',
    })
  })

  it('refuses empty and oversized texts before any parse', () => {
    expect(precheckSql(' \n ')).toEqual({
      ok: false,
      message: 'The SQL text is empty: write one SELECT over your views',
    })
    expect(precheckSql('x'.repeat(MAX_SQL_LENGTH + 1))).toEqual({
      ok: false,
      message:
        'The SQL text has 100,001 characters, over the limit of 100,000: send a query, not data',
    })
    expect(precheckSql('x'.repeat(MAX_SQL_LENGTH))).toBeUndefined()
    expect(judgeSql('', '', VIEWS)).toEqual(precheckSql(''))
  })

  it('refuses a method call on a column, saying how to write it', async () => {
    expect(await judge('SELECT age_band.upper() FROM persons')).toEqual({
      ok: false,
      message:
        "Functions are called by their name alone, and 'age_band.upper' puts a schema, catalog or column before it: write upper(…) (for a column c, upper(c) rather than c.upper())",
      position: 7,
    })
  })
})

describe('SQL gate over every DuckDB function', () => {
  it('refuses or knowingly allows every DuckDB function whose name suggests engine state', async () => {
    const reader = await gate.connection.runAndReadAll(
      'SELECT DISTINCT function_name, function_type FROM duckdb_functions() ORDER BY ALL',
    )
    const undecided: string[] = []
    for (const [name, type] of reader.getRows() as [string, string][]) {
      if (!SENSITIVE.test(name)) continue
      // Table functions, table macros and PRAGMAs can only be called in FROM.
      const sql = ['table', 'table_macro', 'pragma'].includes(type)
        ? `SELECT * FROM "${name}"()`
        : `SELECT "${name}"()`
      const verdict = await judge(sql)
      if (verdict.ok !== name in HARMLESS) undecided.push(`${name} (${type})`)
    }
    expect(undecided).toEqual([])
  })

  it('refuses or knowingly allows every function DuckDB calls as a bare word', async () => {
    const reader = await gate.connection.runAndReadAll(
      'SELECT DISTINCT function_name FROM duckdb_functions() ORDER BY ALL',
    )
    const undecided: string[] = []
    for (const [name] of reader.getRows() as [string][]) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) continue
      const sql = `SELECT ${name}`
      const binds = await gate.connection.runAndReadAll(sql).then(
        () => true,
        () => false,
      )
      if (binds && (await judge(sql)).ok !== name in HARMLESS_BARE_WORDS) undecided.push(name)
    }
    expect(undecided).toEqual([])
  })
})
