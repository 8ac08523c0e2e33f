import { BUSINESS_PIPELINE } from './business-pipeline.js'
import { CHRONIC_REGISTRY_PIPELINE } from './chronic-registry-pipeline.js'
import { KPI_REGISTER_PIPELINES } from './kpi-register-pipelines.js'
import { PERSON_ADDRESS_PIPELINE } from './person-address-pipeline.js'
import type { Pipeline } from './pipeline.js'
import { POSTAL_GEOCODE_PIPELINE } from './postal-geocode-pipeline.js'
import { SENSOR_PIPELINE } from './sensor-pipeline.js'

/** Every fusion pipeline, in the order they run. */
export const PIPELINES: readonly Pipeline[] = [
  POSTAL_GEOCODE_PIPELINE,
  PERSON_ADDRESS_PIPELINE,
  BUSINESS_PIPELINE,
  SENSOR_PIPELINE,
  CHRONIC_REGISTRY_PIPELINE,
  ...KPI_REGISTER_PIPELINES,
]
