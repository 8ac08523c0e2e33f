import { resolve } from 'node:path'
import { z } from 'zod'
import { parseSecretKey } from '../keys/index.js'
import { ConfigError } from './errors.js'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))

/** A secret key: at least 32 random bytes as base64 or hex (see parseSecretKey). */
const secretKey = () =>
  z
    .string()
    .trim()
    .refine(
      (v) => parseSecretKey(v) !== undefined,
      'must hold at least 32 random bytes as base64 or hex, e.g. openssl rand -base64 32',
    )
    .optional()

const UNITS: Record<string, number> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
}

/** Bytes in a size as DuckDB writes them (MB = 1000², MiB = 1024²); NaN for anything else. */
export function bytesOf(size: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B)$/i.exec(size.trim())
  const unit = match ? UNITS[String(match[2]).toLowerCase()] : undefined
  return match && unit ? Math.round(Number(match[1]) * unit) : Number.NaN
}

/** A size such as 512MB or 4GB, kept as written (DuckDB reads it); bytesOf gives its bytes. */
const size = () =>
  z
    .string()
    .trim()
    .refine((v) => bytesOf(v) > 0, 'must be a size such as 512MB or 4GB')

const boolean = () =>
  z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true')

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== ''
    } catch {
      return false
    }
  }, 'must be a URL like postgres://user:password@host:5432/database')

/**
 * Every environment variable the product reads: its default, one line of help, and its parser.
 * The README's configuration table mirrors this list (a test keeps them in step).
 */
export const CONFIG_KEYS = {
  PORT: {
    default: '8080',
    help: 'TCP port the HTTP server (API and portal) listens on.',
    schema: integer(1, 65_535),
  },
  HOST: {
    default: '127.0.0.1',
    help: 'Interface the server binds to; use 0.0.0.0 behind a load balancer or in a container.',
    schema: z.string().trim().min(1, 'must not be empty'),
  },
  DATA_DIR: {
    default: './data',
    help: 'Directory for feeds, quarantine, published Parquet versions and the embedded database.',
    schema: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .transform((dir) => resolve(dir)),
  },
  DATABASE_URL: {
    default: undefined,
    help: 'PostgreSQL connection URL. Unset = embedded PGlite persisted under DATA_DIR/pglite.',
    secret: true,
    schema: postgresUrl.optional(),
  },
  DATABASE_OWNER_URL: {
    default: undefined,
    help: "PostgreSQL URL of the role that owns the tables. When set, migrations run as this role, which then grants DATABASE_URL's role only what the application needs: it cannot alter tables, disable the audit trail's triggers, or change or delete audit entries. Unset = migrations run as DATABASE_URL's role.",
    secret: true,
    schema: postgresUrl.optional(),
  },
  DATABASE_POOL_SIZE: {
    default: '10',
    help: 'Maximum PostgreSQL connections per server process (ignored for PGlite).',
    schema: integer(1, 500),
  },
  LOG_LEVEL: {
    default: 'info',
    help: `Log level: ${LOG_LEVELS.join(', ')}.`,
    schema: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }),
  },
  DUCKDB_THREADS: {
    default: '2',
    help: 'Threads the DuckDB engine may use for ingest and fusion.',
    schema: integer(1, 256),
  },
  DUCKDB_MEMORY_LIMIT: {
    // A country's persons (6M) sort their fused output in about 3GB (npm run bench:scale).
    default: '4GB',
    help: 'Memory DuckDB may use before spilling to disk, e.g. 512MB or 8GB.',
    schema: size(),
  },
  QUERY_TIMEOUT_SECONDS: {
    default: '30',
    help: 'A query is interrupted after this many seconds.',
    schema: integer(1, 3600),
  },
  QUERY_MEMORY_LIMIT: {
    default: '512MB',
    help: "Memory each query's DuckDB may use (nothing spills to disk); the OS caps its worker process at this plus 2GB (size a replica for QUERY_MAX_RUNNING of those).",
    schema: size(),
  },
  QUERY_THREADS: {
    default: '1',
    help: 'Threads each query sandbox may use.',
    schema: integer(1, 64),
  },
  QUERY_MAX_ROWS: {
    default: '10000',
    help: 'Rows a JSON query answer holds at most (it says when it was cut); extracts have no such limit.',
    schema: integer(1, 1_000_000),
  },
  QUERY_MAX_STREAM_ROWS: {
    default: '1000000',
    help: 'Rows a CSV or NDJSON query answer streams at most.',
    schema: integer(1, 100_000_000),
  },
  QUERY_MAX_JSON_BYTES: {
    default: '16MB',
    help: 'Bytes a JSON query answer may hold; a larger one is refused with a message naming this limit (ask for CSV, Parquet or Arrow instead).',
    schema: size(),
  },
  QUERY_MAX_STREAM_BYTES: {
    default: '4GB',
    help: 'Bytes a streamed query answer or extract (CSV, NDJSON, Arrow, Parquet) may hold; the OS stops the worker writing past it and the transfer breaks off.',
    schema: size(),
  },
  QUERY_MAX_RUNNING: {
    default: '4',
    help: 'Queries running at once in this process; more wait briefly, then get 503 with Retry-After.',
    schema: integer(1, 256),
  },
  QUERY_MAX_PER_USER: {
    default: '2',
    help: 'Queries and downloads one person may run at once on all replicas together, so nobody starves the others.',
    schema: integer(1, 64),
  },
  QUERY_MAX_WAIT_SECONDS: {
    default: '5',
    help: 'How long a query waits for a free slot before it is refused with 503.',
    schema: integer(0, 300),
  },
  PSEUDONYM_KEY: {
    default: undefined,
    help: 'Secret that keys every pseudonym (person keys in Trusted Centre datasets, masked identifiers in samples): at least 32 random bytes as base64 or hex, e.g. from openssl rand -base64 32. Required unless DEV_SIGN_IN=true, where an unset key is generated once into DATA_DIR/secrets/pseudonym-key.',
    secret: true,
    schema: secretKey(),
  },
  AUDIT_KEY: {
    default: undefined,
    help: "Secret that keys the audit trail's hash chain and its checkpoints, kept outside the database (whoever holds it could rewrite the trail): at least 32 random bytes as base64 or hex, e.g. from openssl rand -base64 32. Required unless DEV_SIGN_IN=true, where an unset key is generated once into DATA_DIR/secrets/audit-key.",
    secret: true,
    schema: secretKey(),
  },
  AUDIT_CHECKPOINT_DIR: {
    default: undefined,
    help: "Where the audit trail's head is anchored outside the database (append-only checkpoint files: time, entry count, head hash). Point it at storage the database's operators cannot rewrite, e.g. a WORM bucket's mount. Unset = DATA_DIR/audit-checkpoints.",
    schema: z.string().trim().min(1).optional(),
  },
  AUDIT_CHECKPOINT_SECONDS: {
    default: '30',
    help: "How often each process anchors the audit trail's head when it has changed (also shortly after each entry and on shutdown).",
    schema: integer(1, 3600),
  },
  PUBLIC_URL: {
    default: undefined,
    help: 'Address people use to reach the portal (for sign-in redirects and Secure cookies). Unset = http://localhost:PORT.',
    schema: z
      .string()
      .trim()
      .refine(
        (v) => /^https?:\/\/[^/]+$/.test(v.replace(/\/$/, '')),
        'must be an origin such as https://data.gov.example',
      )
      .transform((v) => v.replace(/\/$/, ''))
      .optional(),
  },
  RATE_LIMIT_PER_MINUTE: {
    default: '120',
    help: 'Requests other than reads (POST, PUT, PATCH, DELETE) one signed-in person may send a minute, on all replicas together; more get 429 with Retry-After. 0 turns the limit off.',
    schema: integer(0, 1_000_000),
  },
  SIGN_IN_ATTEMPTS_PER_MINUTE: {
    default: '10',
    help: 'Sign-in attempts one client address (an IPv6 /64) may make a minute at each step (development sign-in, OIDC start, OIDC return), and refused Bearer tokens it may send, on all replicas together; more get 429 with Retry-After. Raise it where many people share one address; 0 turns the limit off.',
    schema: integer(0, 1_000_000),
  },
  OPEN_DATA_DOWNLOADS_PER_MINUTE: {
    default: '30',
    help: "Downloads of Official (Open) data without a sign-in (the DCAT feed's downloadURLs) one client address (an IPv6 /64) may start a minute, on all replicas together; more get 429 with Retry-After. All such downloads together run as one person's share of the query service (QUERY_MAX_PER_USER). 0 turns the limit off.",
    schema: integer(0, 1_000_000),
  },
  TRUST_PROXY: {
    default: '0',
    help: "Reverse proxies in front of the server that append the address they saw to X-Forwarded-For (1 for deploy/nginx.conf): the client address is read that many entries from the end of the header. 0 = the connection's own address, and the header is ignored.",
    schema: integer(0, 10),
  },
  API_BODY_LIMIT_BYTES: {
    default: '1MB',
    help: 'Largest request body the API reads; a larger one gets 413 before it is read whole. Lineage ingest from a signed-in caller reads more: 5MB for one event, 16MB for a batch (or this, if larger).',
    schema: size(),
  },
  PROCESS_TIMEOUT_SECONDS: {
    default: '30',
    help: 'A server or command silent this long is taken for dead: its unfinished queries and runs are marked failed.',
    schema: integer(2, 3600),
  },
  SESSION_TTL_HOURS: {
    default: '12',
    help: 'How long a sign-in lasts before the person must sign in again.',
    schema: integer(1, 720),
  },
  DEV_SIGN_IN: {
    default: 'false',
    help: 'Offer a development sign-in that lists the fixture users; never in production (npm start turns it on).',
    schema: boolean(),
  },
  WEBHOOK_ALLOW_PRIVATE: {
    default: 'false',
    help: 'Let webhooks point at plain-http, loopback or private-network addresses (tests and local demos only); otherwise only public https receivers are accepted and delivered to.',
    schema: boolean(),
  },
  LINEAGE_HTTP_URL: {
    default: undefined,
    help: 'Also send our OpenLineage events to this consumer (e.g. Marquez), at <url>/api/v1/lineage. Unset = only our own store.',
    schema: z.url({ message: 'must be a URL such as https://marquez.gov.example' }).optional(),
  },
  LINEAGE_HTTP_API_KEY: {
    default: undefined,
    help: 'Bearer token for LINEAGE_HTTP_URL, if it asks for one.',
    secret: true,
    schema: z.string().min(1).optional(),
  },
  LINEAGE_FILE: {
    default: undefined,
    help: 'Also append our OpenLineage events to this file, one JSON object per line. Unset = no file.',
    schema: z.string().trim().min(1).optional(),
  },
  OIDC_ISSUER: {
    default: undefined,
    help: "OpenID Connect issuer URL of the government's identity provider. Unset = no OIDC sign-in.",
    schema: z.url({ message: 'must be a URL such as https://id.gov.example' }).optional(),
  },
  OIDC_CLIENT_ID: {
    default: undefined,
    help: 'Client id of the portal at the identity provider (required with OIDC_ISSUER).',
    schema: z.string().trim().min(1).optional(),
  },
  OIDC_CLIENT_SECRET: {
    default: undefined,
    help: 'Client secret of the portal at the identity provider (required with OIDC_ISSUER).',
    secret: true,
    schema: z.string().min(1).optional(),
  },
  OIDC_AUDIENCE: {
    default: undefined,
    help: "Audience of the provider's JWT access tokens that scripts may send as Bearer tokens. Unset = not accepted.",
    schema: z.string().trim().min(1).optional(),
  },
  SAMPLE_K: {
    default: '5',
    help: 'Every combination of quasi-identifiers in a published sample occurs at least this many times.',
    schema: integer(2, 1000),
  },
  SDC_MIN_COUNT: {
    default: '10',
    help: 'Output checks of aggregate-only grants: people every cell of an answer must count at least (and the least difference between two released cells).',
    schema: integer(2, 1000),
  },
  SDC_DOMINANCE_P: {
    default: '10',
    help: 'Output checks of aggregate-only grants: the p of the p% rule; the rest of a sum or mean must be at least p% of its largest contribution.',
    schema: integer(1, 100),
  },
  SEED_FIXTURES: {
    default: 'true',
    help: 'On start, generate synthetic SSOT feeds into a data directory that has none (set false in production).',
    schema: boolean(),
  },
  FIXTURE_SEED: {
    default: '42',
    help: 'Seed of the synthetic fixture feeds generated on first start.',
    schema: integer(0, 2 ** 31 - 1),
  },
  FIXTURE_SCALE: {
    default: '1',
    help: 'Size of the fixture feeds generated on first start (1 = 5,000 persons).',
    schema: z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/, 'must be a positive number such as 0.2, 1 or 200')
      .transform(Number)
      .pipe(z.number().positive('must be greater than 0').max(2000, 'must be at most 2000')),
  },
} as const

type ConfigKeys = typeof CONFIG_KEYS

/** The validated, frozen configuration of one server process. */
export type Config = Readonly<{
  [K in keyof ConfigKeys]: z.output<ConfigKeys[K]['schema']>
}>

/**
 * Parses the environment once. Throws a {@link ConfigError} naming every missing or invalid
 * variable; secret values are never echoed back.
 * @example const config = loadConfig(process.env)
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const values: Record<string, unknown> = {}
  const problems: string[] = []
  for (const [name, key] of Object.entries(CONFIG_KEYS)) {
    const raw = env[name] === undefined || env[name] === '' ? key.default : env[name]
    const parsed = (key.schema as z.ZodType).safeParse(raw)
    if (parsed.success) {
      values[name] = parsed.data
      continue
    }
    const reason = parsed.error.issues.map((issue) => issue.message).join('; ')
    const shown = 'secret' in key && key.secret ? '' : ` (got ${JSON.stringify(raw)})`
    problems.push(`${name}: ${reason}${shown}`)
  }
  // A default secret would be a published one: outside development mode it must be given.
  for (const name of ['PSEUDONYM_KEY', 'AUDIT_KEY']) {
    if ((env[name] === undefined || env[name] === '') && values.DEV_SIGN_IN !== true) {
      problems.push(
        `${name}: required outside development mode (DEV_SIGN_IN=true); generate one with openssl rand -base64 32`,
      )
    }
  }
  if (values.DATABASE_OWNER_URL && !values.DATABASE_URL) {
    problems.push("DATABASE_OWNER_URL: needs DATABASE_URL as well (the application's own role)")
  }
  if (values.OIDC_ISSUER && (!values.OIDC_CLIENT_ID || !values.OIDC_CLIENT_SECRET)) {
    problems.push('OIDC_ISSUER: needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET as well')
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(values) as Config
}
