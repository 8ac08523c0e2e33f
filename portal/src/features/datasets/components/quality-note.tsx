import type { DatasetDetail } from '../api/use-datasets.js'

type Quality = DatasetDetail['versions'][number]['quality']

/** "4 of 4 checks passed", with the failed warnings named so a reader can judge them. */
export function QualityNote({ quality }: { quality: Quality }) {
  if (!quality) return <span>Not checked</span>
  const warnings = quality.results.filter((r) => !r.passed)
  return (
    <span>
      {quality.passed} of {quality.checked} checks passed
      {warnings.length > 0 && (
        <ul className="warnings">
          {warnings.map((w) => (
            <li key={w.name}>
              Warning: {w.name} observed {w.observed}, expected {w.expected}
            </li>
          ))}
        </ul>
      )}
    </span>
  )
}
