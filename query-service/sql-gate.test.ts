import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GateVerdict, judgeSql, MAX_SQL_LENGTH, PARSE_SQL, precheckSql } from './sql-gate.js'

const VIEWS: ReadonlySet<string> = new Set(['persons', 'persons_sample', 'weather'])

const UNKNOWN = (name: string) =>
  `Only your views can be read, and '${name}' is not one of them (GET /api/query/views lists yours)`

/** Queries the gate lets through, each with exactly the views it reads. */
const ALLOWED: [sql: string, views: string[]][] = [
  ['SELECT * FROM persons', ['persons']],
  ['SELECT * FROM persons a, persons b', ['persons']],
  [
    'SELECT p.age_band, w.temperature FROM persons p JOIN weather w ON p.income = w.hour',
    ['persons', 'weather'],
  ],
  ['SELECT * FROM persons JOIN persons_sample USING (person_key)', ['persons', 'persons_sample']],
  ['SELECT * FROM persons POSITIONAL JOIN weather', ['persons', 'weather']],
  ['WITH a AS (SELECT * FROM persons), b AS (SELECT * FROM a) SELECT * FROM b', ['persons']],
  ['WITH a AS (WITH b AS (SELECT * FROM weather) SELECT * FROM b) SELECT * FROM a', ['weather']],
  [
    'WITH a AS (SELECT * FROM persons) SELECT * FROM (WITH b AS (SELECT * FROM a) SELECT * FROM b) t',
    ['persons'],
  ],
  [
    'WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r, weather',
    ['weather'],
  ],
  [
    'WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL (WITH q AS (SELECT * FROM r) SELECT n + 1 FROM q WHERE n < 3)) SELECT * FROM r',
    [],
  ],
  [
    'WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM (SELECT * FROM r) s WHERE n < 3), t AS (SELECT * FROM r) SELECT * FROM t',
    [],
  ],
  [
    'WITH RECURSIVE r USING KEY (n) AS (SELECT 1 AS n UNION SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r',
    [],
  ],
  ['WITH persons AS (SELECT * FROM weather) SELECT * FROM persons', ['weather']],
  [
    'WITH a AS (SELECT * FROM weather) SELECT * FROM (WITH b AS (SELECT * FROM a), a AS (SELECT 1 AS x) SELECT * FROM b) t',
    ['weather'],
  ],
  ['SELECT * FROM (WITH persons AS (SELECT 1 AS x) SELECT * FROM persons) t, persons', ['persons']],
  ['WITH duckdb_settings AS (SELECT * FROM persons) SELECT * FROM duckdb_settings', ['persons']],
  ['WITH "x.parquet" AS (SELECT 1 AS n) SELECT * FROM "x.parquet"', []],
  ['WITH "Mixed" AS (SELECT * FROM weather) SELECT * FROM MIXED', ['weather']],
  [
    'SELECT (SELECT max(temperature) FROM weather) AS t, * FROM (SELECT * FROM persons) p WHERE income > (SELECT avg(income) FROM persons_sample)',
    ['persons', 'persons_sample', 'weather'],
  ],
  [
    'SELECT * FROM persons WHERE person_key IN (SELECT person_key FROM persons_sample) AND EXISTS (SELECT 1 FROM weather)',
    ['persons', 'persons_sample', 'weather'],
  ],
  [
    "SELECT person_key FROM persons UNION SELECT person_key FROM persons_sample INTERSECT SELECT person_key FROM persons EXCEPT SELECT 'x'",
    ['persons', 'persons_sample'],
  ],
  [
    'WITH w AS (SELECT * FROM weather) SELECT hour FROM w UNION ALL SELECT hour FROM w',
    ['weather'],
  ],
  [
    'SELECT age_band FROM persons UNION ALL BY NAME SELECT age_band FROM persons_sample',
    ['persons', 'persons_sample'],
  ],
  [
    'SELECT * FROM persons p, LATERAL (SELECT * FROM weather w WHERE w.hour = p.income) l',
    ['persons', 'weather'],
  ],
  [
    "SELECT * FROM (PIVOT persons ON age_band IN ('20-29', '30-39') USING count(*) GROUP BY planning_area)",
    ['persons'],
  ],
  ["PIVOT persons ON age_band IN ('20-29', '30-39') USING sum(income)", ['persons']],
  ['SELECT * FROM (UNPIVOT weather ON temperature INTO NAME k VALUE v)', ['weather']],
  ["SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(n, s)", []],
  ['VALUES (1), (2)', []],
  ['FROM persons SELECT age_band, count(*) GROUP BY ALL', ['persons']],
  ['FROM weather', ['weather']],
  ['TABLE persons_sample', ['persons_sample']],
  [
    'SELECT person_key, row_number() OVER (PARTITION BY planning_area ORDER BY income) FROM persons QUALIFY row_number() OVER (PARTITION BY planning_area ORDER BY income) = 1',
    ['persons'],
  ],
  ['SELECT * FROM main.persons JOIN memory.main.weather ON true', ['persons', 'weather']],
  ['SELECT "age_band" FROM "persons"', ['persons']],
  ['Select * From PERSONS p Join "Weather" w On TRUE', ['persons', 'weather']],
  [
    'SELECT unnest([1, 2, 3]) AS n, list_transform([1, 2], x -> x * 2), {"a": 1}.a FROM weather',
    ['weather'],
  ],
  [
    "SELECT upper(age_band), main.lower(age_band), date_part('hour', now()), current_date FROM persons ORDER BY 1 LIMIT 5",
    ['persons'],
  ],
  ["SELECT '😀' AS e, * FROM persons USING SAMPLE 10", ['persons']],
  ['SELECT * FROM persons; -- one statement and a comment', ['persons']],
]

/** Texts the gate must refuse, whatever the message. */
const HOSTILE: string[] = [
  // CTEs used outside their scope reach system views, catalogs and files
  'SELECT * FROM (WITH duckdb_views AS (SELECT 1) SELECT 1) t, duckdb_views',
  'SELECT * FROM \'some/file.parquet\' WHERE EXISTS (WITH "some/file.parquet" AS (SELECT 1) SELECT 1)',
  'SELECT * FROM (WITH duckdb_settings AS (SELECT 1) SELECT 1) t JOIN duckdb_settings ON true',
  'SELECT (WITH pg_settings AS (SELECT 1) SELECT 1), (SELECT count(*) FROM pg_settings)',
  "SELECT * FROM persons WHERE person_key IN (WITH sqlite_master AS (SELECT 'x' AS k) SELECT k) AND EXISTS (SELECT * FROM sqlite_master)",
  'SELECT * FROM persons WHERE EXISTS (WITH duckdb_tables AS (SELECT 1) SELECT 1) UNION ALL SELECT * FROM duckdb_tables',
  '(WITH duckdb_tables AS (SELECT 1) SELECT * FROM duckdb_tables) UNION ALL SELECT * FROM duckdb_tables',
  'SELECT * FROM duckdb_databases UNION ALL (WITH duckdb_databases AS (SELECT 1) SELECT * FROM duckdb_databases)',
  'SELECT * FROM persons, LATERAL (WITH pg_class AS (SELECT 1) SELECT 1) l, pg_class',
  'SELECT * FROM (WITH pg_views AS (SELECT 1) SELECT 1) t, LATERAL (SELECT * FROM pg_views) l',
  'WITH a AS (WITH duckdb_views AS (SELECT 1) SELECT * FROM duckdb_views) SELECT * FROM duckdb_views',
  'WITH a AS (WITH duckdb_views AS (SELECT 1) SELECT 1), b AS (SELECT * FROM duckdb_views) SELECT * FROM b',
  'WITH a AS (SELECT * FROM duckdb_settings), duckdb_settings AS (SELECT 1) SELECT * FROM a',
  'WITH RECURSIVE a AS (SELECT * FROM duckdb_settings), duckdb_settings AS (SELECT 1) SELECT * FROM a',
  'WITH duckdb_settings AS (SELECT * FROM duckdb_settings) SELECT * FROM duckdb_settings',
  'WITH pg_settings AS (SELECT 1 UNION ALL SELECT * FROM pg_settings) SELECT * FROM pg_settings',
  'WITH RECURSIVE duckdb_views AS (SELECT * FROM duckdb_views UNION ALL SELECT 1) SELECT 1',
  'WITH RECURSIVE duckdb_views AS (SELECT 1 UNION ALL SELECT * FROM duckdb_views UNION ALL SELECT 2) SELECT 1',
  'WITH RECURSIVE duckdb_views AS (SELECT 1 INTERSECT SELECT * FROM duckdb_views) SELECT 1',
  'WITH RECURSIVE duckdb_views AS (SELECT * FROM (SELECT 1 UNION ALL SELECT * FROM duckdb_views)) SELECT 1',
  'WITH RECURSIVE r AS (SELECT 1 UNION ALL (WITH duckdb_views AS (SELECT 1) SELECT 1 FROM r)) SELECT * FROM r, duckdb_views',
  'SELECT * FROM (WITH "duckdb_views" AS (SELECT 1) SELECT 1) t, "DUCKDB_VIEWS"',
  'WITH "DUC\u212ADB_VIEWS" AS (SELECT 1) SELECT * FROM duckdb_views',
  'SELECT * FROM (WITH "/data/tc/x/v1.parquet" AS (SELECT 1) SELECT 1) t, \'/data/tc/x/v1.parquet\'',
  'SELECT * FROM "../x.parquet" WHERE EXISTS (WITH "../x.parquet" AS (SELECT 1) SELECT 1)',
  'WITH duckdb_settings AS (SELECT 1) SELECT * FROM main.duckdb_settings',
  'WITH duckdb_settings AS (SELECT 1) SELECT * FROM system.main.duckdb_settings',
  'WITH tables AS (SELECT 1) SELECT * FROM information_schema.tables',
  'WITH "tables" AS (SELECT 1) SELECT * FROM memory.information_schema."tables"',
  'WITH a AS (SELECT (WITH duckdb_views AS (SELECT 1) SELECT 1)) SELECT * FROM a, duckdb_views',
  'SELECT * FROM persons ORDER BY (WITH pg_settings AS (SELECT 1) SELECT 1), (SELECT 1 FROM pg_settings LIMIT 1)',
  'SELECT * FROM persons JOIN weather ON EXISTS (WITH duckdb_views AS (SELECT 1) SELECT 1) JOIN duckdb_views ON true',
  'SELECT * FROM (UNPIVOT (WITH duckdb_views AS (SELECT 1 a) SELECT * FROM duckdb_views) ON a INTO NAME k VALUE v) u, duckdb_views',
  'SELECT * FROM (VALUES ((WITH duckdb_views AS (SELECT 1) SELECT 1))) t(x), duckdb_views',
  'SELECT 1 FROM (WITH duckdb_columns AS (SELECT 1) SELECT 1 UNION ALL SELECT 2) t, duckdb_columns',
  'SELECT * FROM (SELECT * FROM (WITH duckdb_settings AS (SELECT 1) SELECT 1) a) b, (SELECT * FROM duckdb_settings) c',
  'SELECT sum(1) OVER (ORDER BY (WITH duckdb_views AS (SELECT 1) SELECT 1)) FROM duckdb_views',
  'SELECT count(*) FROM duckdb_views HAVING count(*) > (WITH duckdb_views AS (SELECT 1) SELECT 0)',
  'SELECT * FROM (WITH duckdb_functions AS (SELECT 1) SELECT 1) t JOIN duckdb_functions ON true',
  'SELECT * FROM (WITH duckdb_secrets AS (SELECT 1) SELECT 1) t, duckdb_secrets',
  'SELECT * FROM (WITH pg_tables AS (SELECT 1) SELECT 1) t, pg_tables',
  'SELECT * FROM (WITH sqlite_schema AS (SELECT 1) SELECT 1) t, sqlite_schema',
  'SELECT * FROM (WITH "Tables" AS (SELECT 1) SELECT 1) t, information_schema."Tables"',
  // system views, schemas and catalogs
  'SELECT * FROM duckdb_settings',
  'SELECT * FROM duckdb_views',
  'SELECT * FROM pg_settings',
  'SELECT * FROM sqlite_master',
  'SELECT * FROM information_schema.tables',
  'SELECT * FROM pg_catalog.pg_class',
  'SELECT * FROM "main"."duckdb_settings"',
  'SELECT * FROM system.main.persons',
  'SELECT * FROM temp.persons',
  'SELECT * FROM temp.main.persons',
  'SELECT * FROM memory.information_schema.tables',
  'SELECT * FROM memory.persons',
  'SELECT * FROM cat.secret',
  'SELECT * FROM persons, cat.main.secret',
  'SELECT * FROM p\u0435rsons',
  'SELECT * FROM "persons\u200b"',
  'SELECT * FROM "persons "',
  'SELECT * FROM persons.parquet',
  'SELECT * FROM secret',
  'SELECT * FROM persons WHERE EXISTS (SELECT * FROM duckdb_tables)',
  // table functions
  "SELECT * FROM read_parquet('/data/tc/x/v1.parquet')",
  "SELECT * FROM read_csv('/etc/passwd')",
  "SELECT * FROM read_csv_auto('x.csv')",
  "SELECT * FROM read_json('x.json')",
  "SELECT * FROM read_text('/etc/hostname')",
  "SELECT * FROM read_blob('x')",
  "SELECT * FROM glob('/data/**')",
  "SELECT * FROM query('SELECT * FROM secret')",
  "SELECT * FROM query_table('secret')",
  'SELECT * FROM duckdb_settings()',
  'SELECT * FROM duckdb_views()',
  "SELECT * FROM pragma_table_info('persons')",
  'SELECT * FROM range(10)',
  'SELECT * FROM unnest([1, 2])',
  'SELECT * FROM generate_series(1, 3)',
  "SELECT * FROM sniff_csv('x.csv')",
  "SELECT * FROM parquet_metadata('x.parquet')",
  "SELECT * FROM json_execute_serialized_sql('{}')",
  "SELECT * FROM sql_auto_complete('SEL')",
  'SELECT * FROM test_all_types()',
  `SELECT * FROM "read_parquet"('x')`,
  "SELECT * FROM main.read_parquet('x')",
  'SELECT * FROM persons, LATERAL unnest([1])',
  "SELECT * FROM persons WHERE EXISTS (FROM read_csv('x'))",
  "SELECT * FROM (SELECT * FROM read_text('/etc/passwd'))",
  // replacement scans of files
  "SELECT * FROM '/data/tc/x/v1.parquet'",
  'SELECT * FROM "x.csv"',
  "SELECT * FROM 'x.json'",
  "SELECT * FROM 's3://bucket/x.parquet'",
  "SELECT * FROM 'C:\\data\\x.csv'",
  'SELECT * FROM "../x.parquet"',
  "SELECT * FROM '~/x.csv'",
  "SELECT * FROM 'data/*.parquet'",
  'SELECT * FROM main."x.parquet"',
  "SELECT * FROM persons JOIN 'x.parquet' USING (person_key)",
  // SHOW, DESCRIBE, SUMMARIZE and statements that are not a SELECT
  'SHOW TABLES',
  'SHOW ALL TABLES',
  'SHOW persons',
  'DESCRIBE persons',
  'DESCRIBE SELECT 1',
  'SUMMARIZE persons',
  'SELECT * FROM (DESCRIBE persons)',
  'SELECT * FROM (SHOW TABLES)',
  'EXPLAIN SELECT * FROM persons',
  'EXPLAIN ANALYZE SELECT * FROM persons',
  'PRAGMA database_list',
  'PRAGMA enable_profiling',
  'SET threads = 4',
  'SET VARIABLE x = 1',
  'RESET lock_configuration',
  "ATTACH ':memory:' AS m",
  'DETACH memory',
  "COPY persons TO 'x.csv'",
  "COPY (SELECT * FROM persons) TO 'x.parquet'",
  'INSTALL httpfs',
  'LOAD httpfs',
  'CALL duckdb_settings()',
  'CREATE TABLE t AS SELECT * FROM persons',
  'CREATE MACRO m() AS 1',
  'DROP VIEW persons',
  'INSERT INTO persons VALUES (1)',
  'UPDATE persons SET income = 0',
  'DELETE FROM persons',
  "EXPORT DATABASE 'x'",
  'CHECKPOINT',
  'USE memory',
  'BEGIN',
  'PIVOT persons ON age_band USING count(*)',
  'PREPARE p AS SELECT 1',
  // stacked statements
  'SELECT * FROM persons; DROP VIEW persons',
  'SELECT * FROM persons; SELECT * FROM weather',
  'SELECT * FROM persons; -- nothing to see\nSELECT * FROM weather',
  "SELECT * FROM persons /* one statement */; SELECT current_setting('allowed_paths')",
  'SELECT 1; SELECT 2; SELECT 3',
  // functions that read the engine's state
  "SELECT current_setting('allowed_paths')",
  "SELECT * FROM persons WHERE age_band = current_setting('allowed_paths')",
  "SELECT getvariable('x')",
  "SELECT getenv('HOME')",
  'SELECT pg_get_viewdef(1)',
  'SELECT current_query()',
  'SELECT version()',
  'SELECT current_database()',
  'SELECT current_schema',
  'SELECT current_catalog',
  'SELECT current_schemas(true)',
  "SELECT in_search_path('memory', 'main')",
  "SELECT json_serialize_plan('SELECT * FROM persons')",
  "SELECT json_serialize_sql('SELECT 1')",
  "SELECT json_execute_serialized_sql('{}')",
  'SELECT stats(income) FROM persons',
  "SELECT nextval('s')",
  "SELECT write_log('x')",
  "SELECT has_table_privilege('persons', 'select')",
  'SELECT col_description(1, 1)',
  'SELECT pg_typeof(1)',
  'SELECT txid_current()',
  'SELECT current_transaction_id()',
  'SELECT sleep_ms(100000)',
  "SELECT main.current_setting('x')",
  `SELECT "current_setting"('x')`,
  "SELECT CURRENT_SETTING('x')",
  "SELECT system.main.upper('a')",
  "SELECT pg_catalog.upper('a')",
  "SELECT cat.main.secret_macro('a')",
  'SELECT age_band.upper() FROM persons',
  "SELECT max(current_setting('threads')) OVER () FROM persons",
  "SELECT list_transform([1], x -> current_setting('threads'))",
  'SELECT * FROM (PIVOT persons ON age_band IN my_enum USING count(*))',
  // empty and oversized texts, syntax errors
  '',
  '   ',
  ';',
  '-- nothing',
  'SELECT * FORM persons',
  `SELECT 1${' '.repeat(MAX_SQL_LENGTH)}`,
]

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

describe('SQL gate', () => {
  let connection: DuckDBConnection

  beforeAll(async () => {
    connection = await (await DuckDBInstance.create(':memory:')).connect()
  })
  afterAll(() => connection.closeSync())

  const judge = async (sql: string, views = VIEWS): Promise<GateVerdict> => {
    const reader = await connection.runAndReadAll(PARSE_SQL, [sql])
    return judgeSql(sql, String(reader.getRows()[0]?.[0]), views)
  }

  it.each(ALLOWED)('allows %s', async (sql, views) => {
    expect(await judge(sql)).toEqual({ ok: true, views })
  })

  it('allows only examples that DuckDB runs over tables of those names', async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect()
    await db.run(`CREATE TABLE persons AS SELECT 'S1' AS person_key, 'BEDOK' AS planning_area,
      '20-29' AS age_band, 1000 AS income`)
    await db.run('CREATE TABLE persons_sample AS FROM persons')
    await db.run('CREATE TABLE weather AS SELECT 1 AS hour, 27.5 AS temperature')
    for (const [sql] of ALLOWED) await expect(db.runAndReadAll(sql)).resolves.toBeDefined()
    db.closeSync()
  })

  const named = (sql: string) => [
    sql.length > 200 ? `${sql.slice(0, 40)}… (${sql.length} characters)` : sql,
    sql,
  ]
  it.each(HOSTILE.map(named))('refuses %s', async (_name, sql) => {
    expect(await judge(sql)).toMatchObject({ ok: false, message: expect.stringMatching(/\w/) })
  })

  it('refuses a CTE referenced outside the subquery that defines it, where it stands', async () => {
    const sql = 'SELECT * FROM (WITH duckdb_views AS (SELECT 1) SELECT 1) t, duckdb_views'
    expect(await judge(sql)).toEqual({
      ok: false,
      message: UNKNOWN('duckdb_views'),
      position: sql.lastIndexOf('duckdb_views'),
    })
  })

  it('refuses a file path hidden behind an out-of-scope CTE of the same name', async () => {
    const sql =
      'SELECT * FROM \'some/file.parquet\' WHERE EXISTS (WITH "some/file.parquet" AS (SELECT 1) SELECT 1)'
    expect(await judge(sql)).toEqual({
      ok: false,
      message:
        "File names cannot be read as tables ('some/file.parquet'): read one of your views (GET /api/query/views lists yours)",
      position: 14,
    })
  })

  it('compares names in ASCII only, as DuckDB does (a Kelvin sign is not a K)', async () => {
    const sql = 'WITH "DUC\u212ADB_VIEWS" AS (SELECT 1) SELECT * FROM duckdb_views'
    expect(await judge(sql)).toEqual({
      ok: false,
      message: UNKNOWN('duckdb_views'),
      position: sql.lastIndexOf('duckdb_views'),
    })
  })

  it('names the schema or catalog a table is in', async () => {
    expect(await judge('SELECT * FROM persons, information_schema.tables')).toEqual({
      ok: false,
      message:
        "Only your views can be read, and 'information_schema.tables' is in 'information_schema', another schema or catalog: write the view's name alone (GET /api/query/views lists yours)",
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
        'Table functions such as read_parquet() cannot be used here: only your views can be read (GET /api/query/views lists yours)',
      position: 14,
    })
    expect(await judge('DESCRIBE persons')).toEqual({
      ok: false,
      message:
        'SHOW, DESCRIBE and SUMMARIZE are refused: GET /api/query/views describes your views',
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
  it('refuses or knowingly allows every DuckDB function whose name suggests engine state', async () => {
    const reader = await connection.runAndReadAll(
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
    const reader = await connection.runAndReadAll(
      'SELECT DISTINCT function_name FROM duckdb_functions() ORDER BY ALL',
    )
    const undecided: string[] = []
    for (const [name] of reader.getRows() as [string][]) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) continue
      const sql = `SELECT ${name}`
      const binds = await connection.runAndReadAll(sql).then(
        () => true,
        () => false,
      )
      if (binds && (await judge(sql)).ok !== name in HARMLESS_BARE_WORDS) undecided.push(name)
    }
    expect(undecided).toEqual([])
  })
})
