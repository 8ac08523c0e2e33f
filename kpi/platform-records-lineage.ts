import { lineageFacets, PORTAL_NAMESPACE } from '../lineage/index.js'
import type { KpiDefinition } from './kpi-definition.js'

type PlatformRecordKind = NonNullable<KpiDefinition['records']>

/** What each kind of platform record is, as its lineage dataset documents it. */
const DOCUMENTATION: Record<PlatformRecordKind, { name: string; description: string }> = {
  sharingRecords: {
    name: 'sharing-records',
    description:
      "The access workflow's decided requests (approved or rejected), with their working days from submission to decision and to grant: what KPIs 12 and 14 count.",
  },
  coreFields: {
    name: 'core-data-fields',
    description:
      'The core data fields declared in the catalogue, with when each became machine-readable and transmittable by API: what KPI 13 measures.',
  },
}

/** The platform records a computation reads, as lineage datasets (inputs of its runs). */
export function platformRecordDatasets() {
  return (Object.keys(DOCUMENTATION) as PlatformRecordKind[]).map((kind) => ({
    namespace: PORTAL_NAMESPACE,
    name: DOCUMENTATION[kind].name,
    facets: { documentation: lineageFacets.datasetDocumentation(DOCUMENTATION[kind].description) },
  }))
}

/** The lineage node of a kind of platform record, as the lineage explorer opens it. */
export const platformRecordNodeId = (kind: PlatformRecordKind) =>
  `dataset:${PORTAL_NAMESPACE}:${DOCUMENTATION[kind].name}`
