/**
 * A person's age band as of `asOf` (0-17, 18-34, 35-49, 50-64, 65+: the bands of the Trusted
 * Centres' person data), in SQL over a date of birth; NULL stays NULL.
 */
export function ageBandSql(dob: string, asOf: string): string {
  const age = `date_part('year', age(${asOf}, ${dob}))`
  // The first condition tests the age itself, so every row computes it there and DuckDB computes
  // it once per row for all the branches (a common subexpression). Testing the birth date first
  // would leave it to each branch a row reaches: up to four ages per person.
  return `CASE
    WHEN ${age} IS NULL THEN NULL
    WHEN ${age} < 18 THEN '0-17'
    WHEN ${age} < 35 THEN '18-34'
    WHEN ${age} < 50 THEN '35-49'
    WHEN ${age} < 65 THEN '50-64'
    ELSE '65+'
  END`
}
