/**
 * The expected status of every API route for every kind of caller. Tests call each route as
 * each caller and compare; later issues add their routes here. `anonymous` sends no
 * credentials; the others sign in as the fixture user of that name.
 */
export const CALLERS = [
  'anonymous',
  'officer.moh',
  'officer.moe',
  'steward.dos',
  'steward.moh',
  'leader.mddi',
  'admin',
  'auditor',
] as const
export type CallerName = (typeof CALLERS)[number]

export interface MatrixRow {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  body?: unknown
  /** Status for callers not listed in `except`. */
  signedIn: number
  anonymous: number
  except?: Partial<Record<CallerName, number>>
}

/**
 * Requests the matrix test makes before it runs, each left where one caller's step succeeds;
 * rows name them as `{name}` in their paths. All are for DOS datasets.
 */
export const MATRIX_REQUESTS = {
  approve: { by: 'officer.moh', dataset: 'person-address-pa', state: 'submitted' },
  reject: { by: 'officer.moh', dataset: 'business-by-planning-area', state: 'submitted' },
  askInfo: { by: 'officer.moe', dataset: 'person-address-pa', state: 'submitted' },
  resubmit: { by: 'officer.moe', dataset: 'business-by-planning-area', state: 'needs-info' },
  withdraw: { by: 'leader.mddi', dataset: 'person-address-pa', state: 'submitted' },
  grant: { by: 'leader.mddi', dataset: 'business-by-planning-area', state: 'approved' },
} as const

/** A confidential MOH dataset the tests publish next to the fixture data. */
export const HIDDEN_DATASET = 'moh-chronic-registry'

export const AUTHORIZATION_MATRIX: readonly MatrixRow[] = [
  { method: 'GET', path: '/api/health', signedIn: 200, anonymous: 200 },
  { method: 'GET', path: '/api/auth/methods', signedIn: 200, anonymous: 200 },
  { method: 'GET', path: '/api/openapi.json', signedIn: 200, anonymous: 200 },
  { method: 'GET', path: '/api/docs', signedIn: 200, anonymous: 200 },
  { method: 'GET', path: '/api/dcat/catalog.jsonld', signedIn: 200, anonymous: 200 },
  // Official (Open) data downloads without a sign-in (the DCAT feed's downloadURLs); any other
  // dataset answers 404 to everyone, exactly as one that does not exist.
  {
    method: 'GET',
    path: '/api/open-data/postal-geocode-reference/v1.parquet',
    signedIn: 200,
    anonymous: 200,
  },
  {
    method: 'GET',
    path: '/api/open-data/postal-geocode-reference/v1.csv',
    signedIn: 200,
    anonymous: 200,
  },
  {
    method: 'GET',
    path: '/api/open-data/postal-geocode-reference/v99.csv',
    signedIn: 404,
    anonymous: 404,
  },
  {
    method: 'GET',
    path: '/api/open-data/person-address-pa/v1.parquet',
    signedIn: 404,
    anonymous: 404,
  },
  {
    method: 'GET',
    path: '/api/open-data/digital-services-satisfaction-survey/v1.csv',
    signedIn: 404,
    anonymous: 404,
  },
  {
    method: 'GET',
    path: '/api/open-data/no-such-dataset/v1.parquet',
    signedIn: 404,
    anonymous: 404,
  },
  { method: 'GET', path: '/api/auth/dev/users', signedIn: 200, anonymous: 200 },
  { method: 'GET', path: '/api/auth/me', signedIn: 200, anonymous: 200 },
  {
    method: 'POST',
    path: '/api/auth/dev/sign-in',
    body: { user: 'officer.moe' },
    signedIn: 200,
    anonymous: 200,
  },
  // The matrix runs without an identity provider configured: its routes are absent for everyone.
  { method: 'GET', path: '/api/auth/oidc/start', signedIn: 404, anonymous: 404 },
  { method: 'GET', path: '/api/auth/oidc/callback', signedIn: 404, anonymous: 404 },
  { method: 'GET', path: '/api/datasets', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/datasets/person-address-pa', signedIn: 200, anonymous: 401 },
  {
    method: 'GET',
    path: `/api/datasets/${HIDDEN_DATASET}`,
    signedIn: 200,
    anonymous: 401,
    // Confidential data is discoverable only by its own agency, administrators and auditors.
    except: { 'officer.moe': 404, 'steward.dos': 404, 'leader.mddi': 404 },
  },
  { method: 'GET', path: '/api/datasets/person-address-pa/changes', signedIn: 200, anonymous: 401 },
  // Column profiles and schema differences: for whoever may discover the dataset.
  {
    method: 'GET',
    path: '/api/datasets/person-address-pa/versions/1/profiles',
    signedIn: 200,
    anonymous: 401,
  },
  {
    method: 'GET',
    path: '/api/datasets/person-address-pa/schema-diff?from=1&to=1',
    signedIn: 200,
    anonymous: 401,
  },
  // Only stewards of the owning agency (DOS) edit a dataset's metadata.
  {
    method: 'PATCH',
    path: '/api/datasets/person-address-pa',
    body: { tags: ['residents', 'planning area'] },
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 200 },
  },
  // Only stewards of the owning agency (DOS) deprecate a dataset, or withdraw its deprecation.
  {
    method: 'PUT',
    path: '/api/datasets/person-address-pa/deprecation',
    body: { reason: 'Authorization matrix: superseded by a newer dataset' },
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 200 },
  },
  {
    method: 'DELETE',
    path: '/api/datasets/person-address-pa/deprecation',
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 200 },
  },
  // Anyone signed in follows a dataset they may discover; one they may not is absent.
  { method: 'PUT', path: '/api/datasets/person-address-pa/follow', signedIn: 200, anonymous: 401 },
  {
    method: 'PUT',
    path: `/api/datasets/${HIDDEN_DATASET}/follow`,
    signedIn: 200,
    anonymous: 401,
    except: { 'officer.moe': 404, 'steward.dos': 404, 'leader.mddi': 404 },
  },
  {
    method: 'DELETE',
    path: '/api/datasets/person-address-pa/follow',
    signedIn: 200,
    anonymous: 401,
  },
  { method: 'GET', path: '/api/follows', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/search?q=planning', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/search/suggestions?q=pla', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/glossary', signedIn: 200, anonymous: 401 },
  // Stewards of any agency and administrators keep the glossary; the right is checked before
  // the body, so this (invalid) body gets 400 only from those who may.
  {
    method: 'POST',
    path: '/api/glossary',
    body: { term: '' },
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 400, 'steward.moh': 400, admin: 400 },
  },
  {
    method: 'PATCH',
    path: '/api/glossary/Region',
    body: { definition: 'A region of Singapore: Central, East, North, North-East or West.' },
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 200, 'steward.moh': 200, admin: 200 },
  },
  // The data-sharing workflow, on the requests of MATRIX_REQUESTS: a step succeeds only for
  // the one caller allowed to take it; those who may see the request get 403, others 404.
  { method: 'GET', path: '/api/requests', signedIn: 200, anonymous: 401 },
  {
    method: 'POST',
    path: '/api/requests',
    body: {
      dataset: 'postal-geocode-reference',
      purpose: 'Geocode school addresses for catchment planning',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    },
    // Official (Open) data needs no request.
    signedIn: 409,
    anonymous: 401,
  },
  {
    method: 'GET',
    path: '/api/requests/{approve}',
    signedIn: 404,
    anonymous: 401,
    except: { 'officer.moh': 200, 'steward.dos': 200, admin: 200, auditor: 200 },
  },
  {
    method: 'POST',
    path: '/api/requests/{approve}/approve',
    body: {},
    signedIn: 404,
    anonymous: 401,
    except: { 'officer.moh': 403, 'steward.dos': 200, admin: 403, auditor: 403 },
  },
  {
    method: 'POST',
    path: '/api/requests/{reject}/reject',
    body: { reason: 'The aggregated statistics answer this question' },
    signedIn: 404,
    anonymous: 401,
    except: { 'officer.moh': 403, 'steward.dos': 200, admin: 403, auditor: 403 },
  },
  {
    method: 'POST',
    path: '/api/requests/{askInfo}/ask-info',
    body: { question: 'Which schools does the plan cover?' },
    signedIn: 404,
    anonymous: 401,
    except: { 'officer.moe': 403, 'steward.dos': 200, admin: 403, auditor: 403 },
  },
  {
    method: 'POST',
    path: '/api/requests/{resubmit}/resubmit',
    body: { answer: 'All primary schools in the East region' },
    signedIn: 404,
    anonymous: 401,
    except: { 'officer.moe': 200, 'steward.dos': 403, admin: 403, auditor: 403 },
  },
  {
    // After the answer above: the request waits again, and its requester may change it.
    method: 'POST',
    path: '/api/requests/{resubmit}/amend',
    body: { changes: { durationDays: 45 } },
    signedIn: 404,
    anonymous: 401,
    except: { 'officer.moe': 200, 'steward.dos': 403, admin: 403, auditor: 403 },
  },
  {
    method: 'POST',
    path: '/api/requests/{withdraw}/withdraw',
    body: {},
    signedIn: 404,
    anonymous: 401,
    except: { 'leader.mddi': 200, 'steward.dos': 403, admin: 403, auditor: 403 },
  },
  { method: 'GET', path: '/api/grants', signedIn: 200, anonymous: 401 },
  {
    method: 'POST',
    path: '/api/grants/{grant}/revoke',
    body: { reason: 'Project finished early' },
    signedIn: 404,
    anonymous: 401,
    // The administrator comes after the steward: by then nothing is left to revoke.
    except: { 'leader.mddi': 403, 'steward.dos': 200, admin: 409, auditor: 403 },
  },
  { method: 'GET', path: '/api/entitlements', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/notifications', signedIn: 200, anonymous: 401 },
  { method: 'POST', path: '/api/notifications/read', body: {}, signedIn: 200, anonymous: 401 },
  {
    method: 'GET',
    path: '/api/webhooks',
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 200, 'steward.moh': 200, admin: 200 },
  },
  {
    method: 'POST',
    path: '/api/webhooks',
    body: { url: 'https://hooks.dos.example.gov.sg/portal', agency: 'DOS' },
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 201, admin: 201 },
  },
  {
    method: 'GET',
    path: '/api/webhooks/{webhook}/deliveries',
    signedIn: 404,
    anonymous: 401,
    except: { 'steward.dos': 200, admin: 200 },
  },
  // Disabling, enabling and deleting: as reading, stewards of its agency (DOS) and administrators.
  {
    method: 'PATCH',
    path: '/api/webhooks/{webhook}',
    body: { active: true },
    signedIn: 404,
    anonymous: 401,
    except: { 'steward.dos': 200, admin: 200 },
  },
  {
    method: 'DELETE',
    path: '/api/webhooks/{doomedWebhook}',
    signedIn: 404,
    anonymous: 401,
    // The administrator comes after the steward: by then it is gone.
    except: { 'steward.dos': 200 },
  },
  { method: 'GET', path: '/api/query/views', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/query/history', signedIn: 200, anonymous: 401 },
  // Official (Open) data: a full extract for everyone signed in.
  {
    method: 'GET',
    path: '/api/datasets/postal-geocode-reference/versions/1/extract?format=csv',
    signedIn: 200,
    anonymous: 401,
  },
  // Restricted data: the full extract only under a grant. officer.moh holds one since the
  // approve row above; nobody else does (not even the owning agency's steward or the admin).
  {
    method: 'GET',
    path: '/api/datasets/person-address-pa/versions/1/extract',
    signedIn: 404,
    anonymous: 401,
    except: { 'officer.moh': 200 },
  },
  // Its de-identified sample: for everyone signed in who may discover it.
  {
    method: 'GET',
    path: '/api/datasets/person-address-pa/versions/1/sample',
    signedIn: 200,
    anonymous: 401,
  },
  // Its first rows, as its page shows them: for whoever may download the sample.
  {
    method: 'GET',
    path: '/api/datasets/person-address-pa/versions/1/preview',
    signedIn: 200,
    anonymous: 401,
  },
  {
    method: 'POST',
    path: '/api/query',
    body: { sql: 'SELECT count(*) AS n FROM postal_geocode_reference' },
    signedIn: 200,
    anonymous: 401,
  },
  {
    method: 'POST',
    path: '/api/query/q_not-running/cancel',
    signedIn: 404,
    anonymous: 401,
  },
  // Saved queries: anyone signed in saves their own, and opens and runs any by its link (as
  // themselves); only the owner changes or deletes one. An id nobody saved is a 404 for all.
  { method: 'GET', path: '/api/saved-queries', signedIn: 200, anonymous: 401 },
  {
    method: 'POST',
    path: '/api/saved-queries',
    body: { name: 'Matrix', sql: 'SELECT count(*) AS n FROM postal_geocode_reference' },
    signedIn: 201,
    anonymous: 401,
  },
  { method: 'GET', path: `/api/saved-queries/sq_${'0'.repeat(32)}`, signedIn: 404, anonymous: 401 },
  {
    method: 'PATCH',
    path: `/api/saved-queries/sq_${'0'.repeat(32)}`,
    body: { name: 'Matrix' },
    signedIn: 404,
    anonymous: 401,
  },
  {
    method: 'DELETE',
    path: `/api/saved-queries/sq_${'0'.repeat(32)}`,
    signedIn: 404,
    anonymous: 401,
  },
  {
    method: 'POST',
    path: `/api/saved-queries/sq_${'0'.repeat(32)}/run`,
    body: { values: {} },
    signedIn: 404,
    anonymous: 401,
  },
  // OpenLineage in: stewards and administrators only, into namespaces registered to their agency
  // (airflow://dos is DOS's; the administrator is of GovTech); an invalid event is a 400 for them.
  {
    method: 'POST',
    path: '/api/v1/lineage',
    body: {
      eventType: 'START',
      eventTime: '2026-11-22T01:00:00Z',
      producer: 'https://example.gov.sg/matrix',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '0193f3a4-8c1e-7d2a-9b1c-3f2e1d0c9b8a' },
      job: { namespace: 'airflow://dos', name: 'matrix.task' },
    },
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 201 },
  },
  {
    method: 'POST',
    path: '/api/v1/lineage/batch',
    body: [],
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 200, 'steward.moh': 200, admin: 200 },
  },
  // Which agency owns which lineage namespace: anyone signed in reads it, administrators change it.
  { method: 'GET', path: '/api/v1/lineage/namespaces', signedIn: 200, anonymous: 401 },
  {
    method: 'POST',
    path: '/api/v1/lineage/namespaces',
    body: { namespace: 'airflow://matrix', agency: 'DOS' },
    signedIn: 403,
    anonymous: 401,
    except: { admin: 201 },
  },
  {
    method: 'DELETE',
    path: '/api/v1/lineage/namespaces/airflow%3A%2F%2Fmatrix',
    signedIn: 403,
    anonymous: 401,
    except: { admin: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/lineage/transports',
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 200, 'steward.moh': 200, admin: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/lineage?nodeId=job:gov-data-portal:fuse.person_address_pa&depth=2',
    signedIn: 200,
    anonymous: 401,
  },
  // A dataset hidden from a caller is not there for them, in lineage as everywhere.
  {
    method: 'GET',
    path: `/api/v1/lineage?nodeId=dataset:gov-data-portal:${HIDDEN_DATASET}`,
    signedIn: 200,
    anonymous: 401,
    except: { 'officer.moe': 404, 'steward.dos': 404, 'leader.mddi': 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/column-lineage?nodeId=dataset:gov-data-portal:person-address-pa',
    signedIn: 200,
    anonymous: 401,
  },
  {
    method: 'GET',
    path: '/api/v1/namespaces/gov-data-portal/datasets/person-address-pa',
    signedIn: 200,
    anonymous: 401,
  },
  {
    method: 'GET',
    path: `/api/v1/namespaces/gov-data-portal/datasets/${HIDDEN_DATASET}`,
    signedIn: 200,
    anonymous: 401,
    except: { 'officer.moe': 404, 'steward.dos': 404, 'leader.mddi': 404 },
  },
  { method: 'GET', path: '/api/v1/search?q=person', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/v1/search', signedIn: 400, anonymous: 401 },
  {
    method: 'GET',
    path: '/api/v1/namespaces/gov-data-portal/jobs/fuse.person_address_pa/runs',
    signedIn: 200,
    anonymous: 401,
  },
  { method: 'GET', path: '/api/kpis', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/kpis?format=csv', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/kpis/14', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/kpis/16', signedIn: 400, anonymous: 401 },
  // The requests a platform KPI counts: everyone signed in, shown as far as each may see them.
  { method: 'GET', path: '/api/kpis/14/requests', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/kpis/3/requests', signedIn: 404, anonymous: 401 },
  // Recomputing on demand: stewards and administrators.
  {
    method: 'POST',
    path: '/api/kpis/recompute',
    signedIn: 403,
    anonymous: 401,
    except: {
      'steward.dos': 201,
      'steward.moh': 201,
      admin: 201,
    },
  },
  { method: 'GET', path: '/api/feeds', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/feeds/dos_persons', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/feeds/no_such_feed', signedIn: 404, anonymous: 401 },
  // What refused files held: the stewards of the agency operating the centre (DOS for TC-DoS).
  {
    method: 'GET',
    path: '/api/feeds/dos_persons/failed-deliveries',
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 200 },
  },
  { method: 'GET', path: '/api/tokens', signedIn: 200, anonymous: 401 },
  {
    method: 'POST',
    path: '/api/tokens',
    body: { name: 'matrix', scopes: ['read'], expiresInDays: 1 },
    signedIn: 201,
    anonymous: 401,
  },
  { method: 'POST', path: '/api/tokens/t_0000000000000000/revoke', signedIn: 404, anonymous: 401 },
  { method: 'GET', path: '/api/audit', signedIn: 403, anonymous: 401, except: { auditor: 200 } },
  {
    method: 'GET',
    path: '/api/audit/verify',
    signedIn: 403,
    anonymous: 401,
    except: { auditor: 200, admin: 200 },
  },
  {
    method: 'GET',
    path: '/api/audit/export',
    signedIn: 403,
    anonymous: 401,
    except: { auditor: 200 },
  },
  { method: 'GET', path: '/api/no-such-route', signedIn: 404, anonymous: 401 },
  // Last, since it ends the sessions the rows above use.
  { method: 'POST', path: '/api/auth/sign-out', signedIn: 200, anonymous: 200 },
]
