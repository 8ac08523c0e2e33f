import type { Entitlement } from '../access/index.js'
import { NotFoundError } from '../core/index.js'

/**
 * The caller's entitlement to `dataset` (its id or slug) at `scope`, and its file of `version`:
 * what every download and preview starts from. Refused with a NotFoundError in words otherwise,
 * the same whether the dataset does not exist or is not the caller's to read.
 */
export function entitledFile(
  entitlements: readonly Entitlement[],
  wanted: { dataset: string; scope: Entitlement['scope']; version: number },
): { entitlement: Entitlement; file: Entitlement['files'][number] } {
  const entitlement = entitlements.find(
    (e) =>
      (e.dataset.slug === wanted.dataset || e.dataset.id === wanted.dataset) &&
      e.scope === wanted.scope,
  )
  if (!entitlement)
    throw new NotFoundError(
      wanted.scope === 'full'
        ? `No full extract of '${wanted.dataset}' for you: Official (Open) data and granted requests only (POST /api/requests asks for access)`
        : `No sample of '${wanted.dataset}' for you`,
    )
  const file = entitlement.files.find((f) => f.version === wanted.version)
  if (!file)
    throw new NotFoundError(
      `No ${entitlement.scope === 'sample' ? 'sample' : 'version'} ${wanted.version} of '${entitlement.dataset.slug}' for you: ${entitlement.files.map((f) => `v${f.version}`).join(', ') || 'none'} available`,
    )
  return { entitlement, file }
}
