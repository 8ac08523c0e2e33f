import { dayInWords } from '../access/index.js'
import { type CallerView, viewNameOf } from './caller-views.js'

/** A grant of the caller's that has ended, as the access module records it. */
export interface EndedGrant {
  dataset: { slug: string; title: string }
  grantee: { id: string }
  status: 'active' | 'expired' | 'revoked'
  expiresAt: Date
  revoked: { at: Date; reason: string } | undefined
}

/**
 * Why a name the caller read as a table is none of their views, in words about what they hold of
 * it: a grant of theirs that was revoked or has expired, or only the dataset's sample. Undefined
 * when they hold nothing of it: the gate's own words then stand, the same for a dataset they may
 * not discover as for a name that names nothing.
 *
 * @example
 * unknownViewWords('person_address_pa', views, []) // "You hold only the sample of …"
 */
export function unknownViewWords(
  name: string,
  views: readonly CallerView[],
  ended: readonly EndedGrant[],
): string | undefined {
  const sample = views.find((v) => v.entitlement.scope === 'sample' && v.name === `${name}_sample`)
  const grant = ended
    .filter((g) => g.status !== 'active' && namesView(name, g.dataset.slug))
    .sort((a, b) => endOf(b).getTime() - endOf(a).getTime())[0]
  const stillSample = sample ? ` (its sample is still yours: query ${sample.name})` : ''
  if (grant?.revoked)
    return `Your access to ${grant.dataset.title} was revoked on ${dayInWords(grant.revoked.at)}: ${grant.revoked.reason}${stillSample}`
  if (grant)
    return `Your access to ${grant.dataset.title} ended on ${dayInWords(grant.expiresAt)}: request it again to query it${stillSample}`
  if (sample)
    return `You hold only the sample of ${sample.entitlement.dataset.title}: query ${sample.name}, or request access to the full dataset`
  return undefined
}

/** A grant's view is named after its dataset, `…_2` and on for a second grant of it. */
function namesView(name: string, slug: string): boolean {
  const base = viewNameOf(slug)
  return name === base || new RegExp(`^${base}_[0-9]+$`).test(name)
}

const endOf = (g: EndedGrant) => g.revoked?.at ?? g.expiresAt
