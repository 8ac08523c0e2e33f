import type { Dataset } from './dataset.js'

/** The only classification the public catalogue (DCAT export, open data) holds. */
export const PUBLIC_CLASSIFICATION = {
  security: 'official-open',
  sensitivity: 'non-sensitive',
} as const

/** Whether a dataset may appear in the public catalogue: Official (Open) and Non-Sensitive only. */
export function isPublic(dataset: Pick<Dataset, 'classification'>): boolean {
  return (
    dataset.classification.security === PUBLIC_CLASSIFICATION.security &&
    dataset.classification.sensitivity === PUBLIC_CLASSIFICATION.sensitivity
  )
}
