import { GOVTECH_SENSOR_READINGS, GOVTECH_SENSOR_STATIONS } from '../contracts/ssot-feeds.js'
import type { Pipeline } from './pipeline.js'

/**
 * TC-Sensor `sensor_hourly_by_planning_area` (DOMAIN.md §8.3). Stations are placed in the
 * planning area whose bounding box holds them and whose representative point is nearest, else
 * (offshore stations such as S107) the nearest planning area. A reading sent twice with
 * different values keeps the one received last; readings of stations missing from the station
 * feed cannot be placed and are left out.
 */
export const SENSOR_PIPELINE: Pipeline = {
  id: 'sensor_hourly_by_planning_area',
  inputs: [GOVTECH_SENSOR_STATIONS, GOVTECH_SENSOR_READINGS],
  key: ['planning_area_code', 'hour', 'reading_type'],
  sql: `
WITH placed AS (
  SELECT s.station_id, pa.code AS planning_area_code,
    s.latitude BETWEEN pa.min_lat AND pa.max_lat AND s.longitude BETWEEN pa.min_lon AND pa.max_lon AS inside
  FROM govtech_sensor_stations s CROSS JOIN ref_planning_areas pa
  QUALIFY row_number() OVER (
    PARTITION BY s.station_id
    ORDER BY inside DESC, (s.latitude - pa.point_lat) ^ 2 + (s.longitude - pa.point_lon) ^ 2) = 1
),
readings AS (
  SELECT * FROM govtech_sensor_readings
  QUALIFY row_number() OVER (PARTITION BY station_id, reading_type, observed_at ORDER BY ingested_at DESC, _run DESC, _row DESC) = 1
),
stations_per_area AS (SELECT planning_area_code, count(*) AS stations FROM placed GROUP BY ALL)
SELECT
  p.planning_area_code,
  date_trunc('hour', r.observed_at) AS hour,
  r.reading_type,
  any_value(r.reading_unit) AS reading_unit,
  -- Exact decimal sums: floating-point sums depend on thread order, and an unchanged input must
  -- give a byte-identical version.
  round(avg(r.value::DECIMAL(12, 3)), 2) AS value_mean,
  min(r.value) AS value_min,
  max(r.value) AS value_max,
  round(sum(r.value::DECIMAL(12, 3)), 2) AS value_sum,
  count(*) AS reading_count,
  12 * any_value(spa.stations) AS expected_count,
  round(100.0 * count(*) / (12 * any_value(spa.stations)), 1) AS completeness_pct,
  count(*) FILTER (WHERE r.ingested_at - r.observed_at > INTERVAL 2 HOUR) AS late_count,
  bool_or(NOT p.inside) AS placed_by_nearest
FROM readings r
JOIN placed p USING (station_id)
JOIN stations_per_area spa USING (planning_area_code)
GROUP BY p.planning_area_code, date_trunc('hour', r.observed_at), r.reading_type`,
  assertions: [
    {
      kind: 'unique',
      columns: ['planning_area_code', 'hour', 'reading_type'],
      severity: 'blocking',
    },
    { kind: 'range', column: 'completeness_pct', min: 0, max: 100, severity: 'blocking' },
    {
      kind: 'coverage',
      name: 'hours at least 90% complete',
      condition: 'completeness_pct >= 90',
      min: 0.9,
      severity: 'warning',
    },
    { kind: 'freshness', column: 'hour', maxAgeDays: 2, severity: 'warning' },
  ],
  dataset: {
    slug: 'sensor-hourly-by-planning-area',
    title: 'Hourly weather readings by planning area',
    description:
      'Air temperature, relative humidity and rainfall from NEA weather stations, aggregated by URA ' +
      'planning area and hour (Singapore time): mean, minimum, maximum and sum, with the number of ' +
      'readings, completeness against the 5-minute schedule, and late arrivals (over 2 hours).',
    agency: 'GOVTECH',
    trustedCentre: 'TC-Sensor',
    sourceSsots: ['nea'],
    classification: { security: 'official-open', sensitivity: 'non-sensitive' },
    themes: ['Environment'],
    tags: ['weather', 'temperature', 'rainfall', 'humidity', 'NEA', 'sensors'],
    updateFrequency: 'hourly',
    columns: [
      {
        name: 'planning_area_code',
        description: 'URA planning area of the stations',
        personalData: 'none',
        isCoreField: true,
        authoritySsot: 'ura',
      },
      { name: 'hour', description: 'Start of the hour', personalData: 'none' },
      {
        name: 'reading_type',
        description: 'DBT 1M F (temperature), RH 1M F (humidity) or the 5-minute rainfall total',
        personalData: 'none',
      },
      { name: 'reading_unit', description: 'deg C, percentage or mm', personalData: 'none' },
      { name: 'value_mean', description: 'Mean of the readings', personalData: 'none' },
      { name: 'value_min', description: 'Lowest reading', personalData: 'none' },
      { name: 'value_max', description: 'Highest reading', personalData: 'none' },
      {
        name: 'value_sum',
        description: 'Sum of the readings (the hourly total for rainfall)',
        personalData: 'none',
      },
      { name: 'reading_count', description: 'Readings received', personalData: 'none' },
      {
        name: 'expected_count',
        description: 'Readings expected (12 per station per hour)',
        personalData: 'none',
      },
      {
        name: 'completeness_pct',
        description: 'reading_count as a percentage of expected_count',
        personalData: 'none',
      },
      {
        name: 'late_count',
        description: 'Readings received more than 2 hours after they were taken',
        personalData: 'none',
      },
      {
        name: 'placed_by_nearest',
        description:
          'True when a station lies outside every planning area and was placed in the nearest',
        personalData: 'none',
      },
    ],
  },
}
