import { hmacSql } from '../../keys/index.js'

/**
 * The baseline of the fusion bench: the person_address_pa pipeline's output written by hand as
 * one DuckDB statement over the staged files (only the two tiny reference-table lookups,
 * district and planning-area name, are left out). Its HMAC needs the `person_key` variables
 * bound on the connection, as the pipeline binds them.
 */
export function handWrittenFusion(files: {
  persons: string
  addresses: string
  target: string
}): string {
  return `
    COPY (
      WITH persons AS (SELECT * FROM read_parquet('${files.persons}')),
           p AS (SELECT * FROM persons QUALIFY row_number() OVER (PARTITION BY uinfin ORDER BY record_updated_at DESC, _row DESC) = 1),
           c AS (SELECT uinfin, count(DISTINCT reg_postal) > 1 AS conflict FROM persons GROUP BY uinfin),
           a AS (SELECT * FROM read_parquet('${files.addresses}') QUALIFY row_number() OVER (PARTITION BY postal ORDER BY _row DESC) = 1)
      SELECT left(${hmacSql('person_key', 'p.uinfin')}, 32) AS person_key,
             CASE WHEN date_part('year', age(DATE '2025-06-30', p.dob)) < 18 THEN '0-17'
                  WHEN date_part('year', age(DATE '2025-06-30', p.dob)) < 35 THEN '18-34'
                  WHEN date_part('year', age(DATE '2025-06-30', p.dob)) < 50 THEN '35-49'
                  WHEN date_part('year', age(DATE '2025-06-30', p.dob)) < 65 THEN '50-64' ELSE '65+' END AS age_band,
             p.sex, p.race_code, p.residential_status, p.reg_postal AS postal_code, substr(p.reg_postal, 1, 2) AS postal_sector,
             a.planning_area_code, a.region_code,
             CASE WHEN a.postal IS NULL THEN 'UNMATCHED' ELSE 'SLA_MATCHED' END AS address_source, c.conflict AS address_conflict,
             list_filter([CASE WHEN a.postal IS NULL THEN 'postal_not_in_sla' END, CASE WHEN c.conflict THEN 'conflicting_addresses' END,
                          CASE WHEN a.postal IS NOT NULL AND a.latitude IS NULL THEN 'no_geocode' END], f -> f IS NOT NULL) AS dq_flags,
             p._run || '#' || p._row AS person_source, a._run || '#' || a._row AS address_source_record
      FROM p JOIN c USING (uinfin) LEFT JOIN a ON a.postal = p.reg_postal
      ORDER BY person_key
    ) TO '${files.target}' (FORMAT parquet, COMPRESSION zstd)`
}
