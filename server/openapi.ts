import { ENTITLEMENTS_API, GRANTS_API, REQUESTS_API } from '../access/index.js'
import { AUDIT_API } from '../audit/index.js'
import {
  CATALOG_API,
  DCAT_API,
  DEPRECATION_API,
  GLOSSARY_API,
  PROFILE_API,
  SEARCH_API,
  SUGGEST_API,
} from '../catalog/index.js'
import { AUTH_API, TOKENS_API } from '../identity/index.js'
import { KPI_API } from '../kpi/index.js'
import { LINEAGE_API } from '../lineage/index.js'
import { FOLLOW_API, FOLLOWS_API, NOTIFICATIONS_API, WEBHOOKS_API } from '../notifications/index.js'
import {
  EXTRACT_API,
  OPEN_DATA_API,
  QUERY_API,
  SAMPLE_PREVIEW_API,
  SAVED_QUERIES_API,
} from '../query-service/index.js'
import {
  type ApiModule,
  openApiDocument as declaredDocument,
  SERVICE_API,
} from '../routing/index.js'
import { FEEDS_API } from '../trusted-centre/index.js'

/** Every module's declared routes, in the order the document and the README list them. */
export const API_MODULES: readonly ApiModule[] = [
  SERVICE_API,
  AUTH_API,
  DCAT_API,
  OPEN_DATA_API,
  CATALOG_API,
  PROFILE_API,
  DEPRECATION_API,
  SEARCH_API,
  SUGGEST_API,
  GLOSSARY_API,
  REQUESTS_API,
  GRANTS_API,
  ENTITLEMENTS_API,
  NOTIFICATIONS_API,
  WEBHOOKS_API,
  FOLLOW_API,
  FOLLOWS_API,
  QUERY_API,
  EXTRACT_API,
  SAMPLE_PREVIEW_API,
  SAVED_QUERIES_API,
  FEEDS_API,
  KPI_API,
  LINEAGE_API,
  TOKENS_API,
  AUDIT_API,
]

const API_DESCRIPTION =
  'Find datasets across agencies, read their metadata, and manage access. Every answer is `{"ok": true, "data": …}` or `{"ok": false, "error": {"code", "message"}}`. State-changing requests from a browser session need the `x-csrf-token` header (its value is in `/api/auth/me`); scripts send `Authorization: Bearer <token>`. A signed-in person may send a limited number of changes and queries a minute (RATE_LIMIT_PER_MINUTE, on all servers together): beyond it, 429 `rate_limited` with Retry-After; so may each client address its sign-in attempts (SIGN_IN_ATTEMPTS_PER_MINUTE). A request body is at most 1 MB (API_BODY_LIMIT_BYTES; lineage events 5 MB, batches 16 MB): past it, 413 `too_large`. A NUL character, a lone surrogate, bytes that are not UTF-8 or broken percent-encoding in a path segment, query parameter or body text get 400 naming the field. While the metadata database cannot be reached every request gets 503 `unavailable` with Retry-After.'

const built = new Map<string, ReturnType<typeof declaredDocument>>()

/**
 * The OpenAPI 3.1 document for the whole HTTP API, built from the same zod schemas that validate
 * requests. Built once per server address in a process (the schemas do not change while it runs;
 * building takes 50–200 ms of CPU) and frozen, since every app made in the process shares it.
 */
export function openApiDocument(serverUrl: string) {
  let document = built.get(serverUrl)
  if (document === undefined) {
    document = deepFreeze(
      declaredDocument(API_MODULES, {
        title: 'Government Data Portal API',
        version: '0.1.0',
        description: API_DESCRIPTION,
        serverUrl,
      }),
    )
    built.set(serverUrl, document)
  }
  return document
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>
