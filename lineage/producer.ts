/** Who produced our events, as OpenLineage's `producer` and every facet's `_producer`. */
export const PRODUCER =
  'https://github.com/gov-data-portal/gov-data-portal/tree/main/trusted-centre'

/** Namespace of our jobs and of the datasets we publish. */
export const PORTAL_NAMESPACE = 'gov-data-portal'
