import type { ReactNode } from 'react'
import type { DatasetDetail } from '../api/use-datasets.js'

/** What other features add to a dataset page; app/ composes them (features never import each other). */
export interface DatasetPageSlots {
  /**
   * What the reader has on the dataset (a request waiting, access held or ended) and the way to
   * ask for it: shown for data that needs a request, on the Access tab.
   */
  access: (dataset: DatasetDetail) => ReactNode
  /** For the owning agency's stewards: who holds access (on the Access tab). */
  holders: (slug: string) => ReactNode
  /**
   * Downloads and the sample preview, as far as the reader may have them (the Sample tab);
   * `explainSample` shows how a version's sample was de-identified (the current version's when
   * no version is given).
   */
  data: (slug: string, explainSample: (version?: number) => ReactNode) => ReactNode
  /** Where the dataset comes from and goes (the lineage feature), on the Lineage tab. */
  lineage: (slug: string) => ReactNode
  /** A way to follow the dataset (hear of new versions and changes), beside its title. */
  follow: (dataset: DatasetDetail) => ReactNode
  /** For the owning agency's stewards, on the Overview tab: deprecating the dataset. */
  stewardship: (dataset: DatasetDetail) => ReactNode
}
