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
  method: 'GET' | 'POST' | 'PATCH'
  path: string
  body?: unknown
  /** Status for callers not listed in `except`. */
  signedIn: number
  anonymous: number
  except?: Partial<Record<CallerName, number>>
}

/** A confidential MOH dataset the tests publish next to the fixture data. */
export const HIDDEN_DATASET = 'moh-chronic-registry'

export const AUTHORIZATION_MATRIX: readonly MatrixRow[] = [
  { method: 'GET', path: '/api/health', signedIn: 200, anonymous: 200 },
  { method: 'GET', path: '/api/auth/methods', signedIn: 200, anonymous: 200 },
  { method: 'GET', path: '/api/openapi.json', signedIn: 200, anonymous: 200 },
  { method: 'GET', path: '/api/docs', signedIn: 200, anonymous: 200 },
  { method: 'GET', path: '/api/dcat/catalog.jsonld', signedIn: 200, anonymous: 200 },
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
  // Only stewards of the owning agency (DOS) edit a dataset's metadata.
  {
    method: 'PATCH',
    path: '/api/datasets/person-address-pa',
    body: { tags: ['residents', 'planning area'] },
    signedIn: 403,
    anonymous: 401,
    except: { 'steward.dos': 200 },
  },
  { method: 'GET', path: '/api/search?q=planning', signedIn: 200, anonymous: 401 },
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
  { method: 'GET', path: '/api/feeds', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/feeds/dos_persons', signedIn: 200, anonymous: 401 },
  { method: 'GET', path: '/api/feeds/no_such_feed', signedIn: 404, anonymous: 401 },
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
