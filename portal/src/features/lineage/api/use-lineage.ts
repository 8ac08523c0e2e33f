import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { ApiError } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

export interface LineageEdge {
  origin: string
  destination: string
}

export interface RunSummary {
  id: string
  state: string
  startedAt: string | null
  endedAt: string | null
  durationMs: number | null
  outputs: { namespace: string; name: string; rowCount?: number | null }[]
  quality: { namespace: string; name: string; passed: number; failed: number }[]
  /** Per external consumer of our events (HTTP, file): taken, waiting, why not yet. */
  delivery?: {
    transport: string
    delivered: number
    pending: number
    lastError: string | null
    nextAttemptAt: string | null
  }[]
}

export interface LineageSearchResult {
  type: 'DATASET' | 'JOB'
  namespace: string
  name: string
  nodeId: string
  updatedAt: string
  /** Datasets: the catalogue entry it is (or is an alias of), if the caller may open it; jobs: null. */
  catalogue?: { slug: string } | null
  /** null for a job. */
  lineageOnly?: boolean | null
}

export interface LineageNode {
  id: string
  type: 'DATASET' | 'JOB'
  data: {
    namespace: string
    name: string
    type: string
    fields?: { name: string; type?: string | null }[]
    facets: Record<string, unknown>
    latestRun?: RunSummary | null
  }
  inEdges: LineageEdge[]
  outEdges: LineageEdge[]
}

/** How a column is made from one of its inputs (OpenLineage's transformation). */
export interface ColumnTransformation {
  type: string
  subtype: string
  masking?: boolean
  description?: string
}

/** One column of a column trace, with the columns it is made from. */
export interface ColumnNode {
  id: string
  data: {
    namespace: string
    dataset: string
    field: string
    fieldType?: string | null
    inputFields: {
      namespace: string
      dataset: string
      field: string
      transformations: ColumnTransformation[]
      /** The job reported no column lineage: taken to pass unchanged from the same name. */
      assumed?: boolean
    }[]
  }
  inEdges?: LineageEdge[]
  outEdges?: LineageEdge[]
}

/** Lineage answers are Marquez-shaped (no envelope); failures carry the usual error body. */
export async function readLineage<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => undefined)) as
    | (T & { ok?: undefined })
    | { ok: false; error: { code: string; message: string } }
    | undefined
  if (response.ok && body) return body as T
  const error = (body as { error?: { code: string; message: string } } | undefined)?.error
  throw new ApiError(
    response.status,
    error?.code ?? 'internal',
    error?.message ?? `The server answered ${response.status}`,
  )
}

export function useLineageGraph(nodeId: string, depth: number) {
  const api = useApi()
  return useQuery({
    queryKey: ['lineage', 'graph', nodeId, depth],
    // The same node deeper (a column traced further) replaces the graph drawn once it arrives.
    placeholderData: (previous, query) =>
      query?.queryKey[2] === nodeId ? keepPreviousData(previous) : undefined,
    queryFn: async () =>
      readLineage<{ graph: LineageNode[] }>(
        await api.api.v1.lineage.$get({ query: { nodeId, depth: String(depth) } }),
      ),
  })
}

/** Which source columns feed a column (or every column of a dataset), transitively. */
export function useColumnLineage(nodeId: string | undefined) {
  const api = useApi()
  return useQuery({
    queryKey: ['lineage', 'columns', nodeId],
    enabled: nodeId !== undefined,
    queryFn: async () =>
      readLineage<{ graph: ColumnNode[] }>(
        await api.api.v1['column-lineage'].$get({ query: { nodeId: nodeId ?? '' } }),
      ),
  })
}

export function useJobRuns(job: { namespace: string; name: string } | undefined) {
  const api = useApi()
  return useQuery({
    queryKey: ['lineage', 'runs', job?.namespace, job?.name],
    enabled: job !== undefined,
    queryFn: async () =>
      readLineage<{ runs: RunSummary[]; totalCount: number }>(
        await api.api.v1.namespaces[':namespace'].jobs[':job'].runs.$get({
          param: { namespace: job?.namespace ?? '', job: job?.name ?? '' },
          query: { limit: '20' },
        }),
      ),
  })
}

/** Datasets and jobs lineage knows whose name or namespace holds `q` (nothing without `q`). */
export function useLineageSearch(
  q: string,
  options: { filter?: 'DATASET' | 'JOB'; limit?: number },
) {
  const api = useApi()
  return useQuery({
    queryKey: ['lineage', 'search', q, options.filter, options.limit],
    enabled: q.trim().length > 0,
    queryFn: async () =>
      readLineage<{ totalCount: number; results: LineageSearchResult[] }>(
        await api.api.v1.search.$get({
          query: {
            q,
            ...(options.filter ? { filter: options.filter } : {}),
            limit: String(options.limit ?? 20),
          },
        }),
      ),
  })
}
