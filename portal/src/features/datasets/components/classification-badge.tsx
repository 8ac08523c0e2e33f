import type { DatasetSummary } from '../api/use-datasets.js'

/** The two-axis classification as one label, coloured by its security level (with text, not colour alone). */
export function ClassificationBadge({
  classification,
}: {
  classification: DatasetSummary['classification']
}) {
  return (
    <span
      className={`badge badge-${classification.security}`}
      title="Security / sensitivity classification"
    >
      {classification.label}
    </span>
  )
}
