/** One page of the public catalogue, as harvesters ask for it (`?page=&pageSize=`). */
export interface DcatPage {
  /** 1 for the first page. */
  number: number
  size: number
}

/** Datasets a page holds unless the harvester asks for another size, and at most. */
export const DCAT_PAGE_SIZE = { default: 100, max: 1_000 } as const

/** How many pages `total` datasets take at `size` a page: one at least, even empty. */
export const pageCount = (total: number, size: number) => Math.max(1, Math.ceil(total / size))

/**
 * The page as a Hydra partial view of the catalogue: where the first, previous, next and last
 * pages are, and how many datasets there are in all. It carries both Hydra's current terms
 * (`hydra:PartialCollectionView`, `hydra:next` …) and the older `hydra:PagedCollection` ones
 * (`hydra:nextPage` …) that CKAN's DCAT harvester follows.
 */
export function hydraView(pageUrl: (page: number) => string, page: DcatPage, total: number) {
  const last = pageCount(total, page.size)
  const link = (n: number) => ({ '@id': pageUrl(n) })
  const previous = page.number > 1 ? Math.min(page.number - 1, last) : undefined
  const next = page.number < last ? page.number + 1 : undefined
  return {
    '@id': pageUrl(page.number),
    '@type': ['hydra:PartialCollectionView', 'hydra:PagedCollection'],
    'hydra:first': link(1),
    'hydra:last': link(last),
    ...(previous !== undefined && { 'hydra:previous': link(previous) }),
    ...(next !== undefined && { 'hydra:next': link(next) }),
    'hydra:firstPage': pageUrl(1),
    'hydra:lastPage': pageUrl(last),
    ...(previous !== undefined && { 'hydra:previousPage': pageUrl(previous) }),
    ...(next !== undefined && { 'hydra:nextPage': pageUrl(next) }),
    'hydra:totalItems': { '@value': String(total), '@type': 'xsd:nonNegativeInteger' },
    'hydra:itemsPerPage': { '@value': String(page.size), '@type': 'xsd:nonNegativeInteger' },
  }
}
