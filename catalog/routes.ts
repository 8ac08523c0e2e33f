import { type Context, Hono } from 'hono'
import type { AuditLog } from '../audit/index.js'
import { InvalidInputError } from '../core/index.js'
import type { AppAbility, RouteEnv } from '../identity/index.js'
import { actorOf, serve, signedInUser } from '../identity/index.js'
import {
  defineGlossaryTerm,
  editDataset,
  getDataset,
  listDatasetChanges,
  listDatasets,
  listGlossaryTerms,
  redefineGlossaryTerm,
  searchCatalogue,
} from './catalog-api.js'
import { isSlug, parseDatasetId } from './dataset.js'
import { toChangeJson, toDatasetJson, toDetailJson } from './dataset-json.js'
import type { DatasetOwner } from './dataset-owner.js'
import { FACETS, type SearchRequest, type SearchResult } from './dataset-search.js'
import type { DatasetStore } from './dataset-store.js'
import { DatasetNotFoundError } from './errors.js'
import { toSearchHitJson } from './search-json.js'

export interface CatalogRouteDeps {
  store: DatasetStore
  search: (ability: AppAbility, request: SearchRequest) => Promise<SearchResult>
  audit: Pick<AuditLog, 'append'>
  now: () => Date
  /** The owning agency's name and stewards, for a dataset page. */
  owner: (agency: string) => Promise<DatasetOwner>
}

/** The catalogue's datasets, served from their declarations. */
export const catalogRoutes = (deps: CatalogRouteDeps) => {
  const find = async (key: string, ability: AppAbility) => {
    const dataset = await deps.store.findDataset(key, ability)
    // A dataset the caller may not discover is reported as absent, not as forbidden.
    if (!dataset) throw new DatasetNotFoundError(key)
    return dataset
  }
  return new Hono<RouteEnv>()
    .route(
      '/',
      serve(listDatasets, async (c) => {
        const datasets = await deps.store.listDatasets(c.get('ability'), c.req.valid('query'))
        return c.json({ ok: true as const, data: datasets.map(toDatasetJson) }, 200)
      }),
    )
    .route(
      '/',
      serve(getDataset, async (c) => {
        const dataset = await find(parseDatasetKey(c.req.valid('param').id), c.get('ability'))
        const [owner] = await Promise.all([
          deps.owner(dataset.agency),
          deps.store.recordView(dataset.id),
        ])
        return c.json({ ok: true as const, data: toDetailJson(dataset, owner) }, 200)
      }),
    )
    .route(
      '/',
      serve(editDataset, async (c) => {
        const ability = c.get('ability')
        const user = signedInUser(c, 'Sign in to edit metadata')
        const dataset = await find(parseDatasetKey(c.req.valid('param').id), ability)
        const actor = { id: user.id, name: user.username }
        const patch = c.req.valid('json')
        const changes = await deps.store.editMetadata(dataset, patch, actor, ability, deps.now())
        // A relabelled column changes what samples show: who did it and why stays in the audit.
        const labels = (patch.columns ?? []).flatMap((column) =>
          column.personalData &&
          changes.some((ch) => ch.field === `columns.${column.name}.personalData`)
            ? [{ column: column.name, ...column.personalData }]
            : [],
        )
        if (changes.length > 0) {
          await deps.audit.append(
            {
              actor,
              action: 'dataset.update',
              outcome: 'succeeded',
              subject: { type: 'Dataset', id: dataset.id },
              details: {
                fields: changes.map((ch) => ch.field),
                ...(labels.length > 0 ? { personalData: labels } : {}),
              },
              requestId: c.get('requestId'),
            },
            deps.now(),
          )
        }
        const updated = await find(dataset.id, ability)
        return c.json(
          {
            ok: true as const,
            data: {
              dataset: toDetailJson(updated, await deps.owner(updated.agency)),
              changes: changes.map(toChangeJson),
            },
          },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(listDatasetChanges, async (c) => {
        const dataset = await find(parseDatasetKey(c.req.valid('param').id), c.get('ability'))
        return c.json(
          { ok: true as const, data: (await deps.store.listChanges(dataset.id)).map(toChangeJson) },
          200,
        )
      }),
    )
}

/** The business glossary, served from its declarations. */
export const glossaryRoutes = (deps: Pick<CatalogRouteDeps, 'store' | 'audit' | 'now'>) => {
  const audit = (
    c: Context<RouteEnv>,
    action: string,
    term: string,
    details: Record<string, unknown>,
  ) =>
    deps.audit.append(
      {
        actor: actorOf(c.get('caller')),
        action,
        outcome: 'succeeded',
        subject: { type: 'GlossaryTerm', id: term },
        details,
        requestId: c.get('requestId'),
      },
      deps.now(),
    )
  return new Hono<RouteEnv>()
    .route(
      '/',
      serve(listGlossaryTerms, async (c) => {
        const entries = await deps.store.listGlossary()
        // Only columns of datasets the caller may discover are listed under a term.
        const linked = entries.flatMap((e) => e.columns.map((col) => col.dataset))
        const found = await deps.store.slugsAmong([...new Set(linked)], c.get('ability'))
        const visible = new Set(found.filter((d) => d.discoverable).map((d) => d.slug))
        return c.json(
          {
            ok: true as const,
            data: entries.map((e) => ({
              ...e,
              columns: e.columns.filter((col) => visible.has(col.dataset)),
            })),
          },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(defineGlossaryTerm, async (c) => {
        const term = await deps.store.defineTerm(c.req.valid('json'), deps.now())
        await audit(c, 'glossary.create', term.term, { definition: term.definition })
        return c.json({ ok: true as const, data: { ...term, columns: [] } }, 201)
      }),
    )
    .route(
      '/',
      serve(redefineGlossaryTerm, async (c) => {
        const { before, after } = await deps.store.redefineTerm(
          c.req.valid('param').term,
          c.req.valid('json'),
          deps.now(),
        )
        await audit(c, 'glossary.update', after.term, { before, after })
        return c.json({ ok: true as const, data: { before, after } }, 200)
      }),
    )
}

/** Catalogue search, served from its declaration. */
export const searchRoutes = (deps: Pick<CatalogRouteDeps, 'search'>) =>
  new Hono<RouteEnv>().route(
    '/',
    serve(searchCatalogue, async (c) => {
      const query = c.req.valid('query')
      const filters = Object.fromEntries(FACETS.map((facet) => [facet, query[facet]]))
      const result = await deps.search(c.get('ability'), {
        q: query.q,
        sort: query.sort,
        page: query.page,
        pageSize: query.pageSize,
        filters,
      })
      return c.json(
        {
          ok: true as const,
          data: {
            total: result.total,
            page: query.page,
            pageSize: query.pageSize,
            hits: result.hits.map(toSearchHitJson),
            terms: result.terms,
            didYouMean: result.didYouMean ?? null,
            facets: result.facets,
          },
        },
        200,
      )
    }),
  )

/** A dataset is addressed by its id (`d_…`) or its slug. */
function parseDatasetKey(value: string): string {
  if (value.startsWith('d_')) return parseDatasetId(value)
  if (!isSlug(value)) {
    throw new InvalidInputError(
      `'${value}' is neither a dataset id (d_ + 32 hex digits) nor a slug (lower-case words joined by '-')`,
    )
  }
  return value
}
