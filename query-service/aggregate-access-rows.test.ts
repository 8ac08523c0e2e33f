import { describe, expect, it } from 'vitest'
import { useAggregateApi } from './aggregate-access-test-kit.js'

describe('aggregate-only access to the chronic disease registry, tried as an attacker would', () => {
  const { platform, post, query, refused } = useAggregateApi()

  it('never lets a row out: row-level reads, identifiers, extremes, hidden subgroups and engine errors are refused', async () => {
    const shape =
      /answers tables|compares columns with constants|takes one column|must be grouped by/
    const corpus: [string, RegExp][] = [
      ['SELECT * FROM chronic_disease_registry', shape],
      ['SELECT condition_code, diagnosed_on FROM chronic_disease_registry', shape],
      ['SELECT DISTINCT planning_area_code FROM chronic_disease_registry', /SELECT DISTINCT/],
      ['SELECT max(days_since_diagnosis) FROM chronic_disease_registry', /max\(\) is not offered/],
      [
        'SELECT min(diagnosed_on), count(*) FROM chronic_disease_registry',
        /min\(\) is not offered/,
      ],
      ['SELECT list(condition_code) FROM chronic_disease_registry', /list\(\) is not offered/],
      ["SELECT string_agg(institution_uen, ',') FROM chronic_disease_registry", /string_agg\(\)/],
      ['SELECT median(days_since_diagnosis) FROM chronic_disease_registry', /median\(\)/],
      [
        'SELECT arg_max(planning_area_code, days_since_diagnosis) FROM chronic_disease_registry',
        /arg_max\(\)/,
      ],
      ['SELECT count(DISTINCT planning_area_code) FROM chronic_disease_registry', /DISTINCT/],
      ["SELECT count(*) FILTER (WHERE age_band = '0-17') FROM chronic_disease_registry", /FILTER/],
      [
        'SELECT condition_code, count(*) FROM chronic_disease_registry GROUP BY ALL',
        /GROUP BY ALL/,
      ],
      [
        'SELECT condition_code, count(*) FROM chronic_disease_registry GROUP BY ROLLUP (condition_code)',
        /ROLLUP/,
      ],
      ['SELECT count(*) OVER () FROM chronic_disease_registry', /not offered|answers tables/],
      ['SELECT (SELECT count(*) FROM chronic_disease_registry) AS n', /on its own|answers tables/],
      ['SELECT count(*) FROM (SELECT * FROM chronic_disease_registry)', /on its own/],
      ['WITH r AS (SELECT * FROM chronic_disease_registry) SELECT count(*) FROM r', /No WITH/],
      [
        'SELECT count(*) FROM chronic_disease_registry UNION ALL SELECT 1',
        /No WITH, UNION|on its own/,
      ],
      ['SELECT __unit, count(*) FROM chronic_disease_registry GROUP BY __unit', /not a column/],
      ['SELECT count(*) FROM chronic_disease_registry__units', /is not one of your views/],
      ['SELECT count(*) FROM chronic_disease_registry r, chronic_disease_registry s', /on its own/],
      ['SELECT count(*) FROM chronic_disease_registry USING SAMPLE 10', /SAMPLE/],
      ['SELECT count(*) AS __units FROM chronic_disease_registry', /__/],
      // Hidden subgroups: conditions or arithmetic inside an aggregate, or between aggregates.
      [
        "SELECT sum(CASE WHEN age_band = '65+' THEN 1 ELSE 0 END) FROM chronic_disease_registry",
        /takes one column/,
      ],
      [
        'SELECT avg((days_since_diagnosis < 100)::INTEGER) FROM chronic_disease_registry',
        /takes one column/,
      ],
      [
        'SELECT condition_code, count(*) - count(age_band) FROM chronic_disease_registry GROUP BY condition_code',
        shape,
      ],
      [
        'SELECT condition_code, count(*) FROM chronic_disease_registry GROUP BY condition_code HAVING count(*) >= 10',
        /HAVING/,
      ],
      [
        'SELECT condition_code, count(*) AS n FROM chronic_disease_registry GROUP BY condition_code ORDER BY n DESC LIMIT 4',
        /LIMIT/,
      ],
      // Reading rows through a subquery, or through what the engine says when a value fails.
      [
        "SELECT count(*) FROM chronic_disease_registry LIMIT (SELECT CAST(string_agg(condition_code, ';') AS INTEGER) FROM chronic_disease_registry)",
        /LIMIT/,
      ],
      [
        "SELECT count(*) FROM chronic_disease_registry WHERE CASE WHEN planning_area_code = 'TM' THEN CAST(concat_ws('|', condition_code, sex) AS INTEGER) ELSE 0 END = 0",
        /compares columns with constants/,
      ],
      [
        "SELECT count(*) FROM chronic_disease_registry WHERE CASE WHEN sex = 'F' THEN error(condition_code) ELSE true END",
        /compares columns with constants/,
      ],
      [
        'SELECT count(*) FROM chronic_disease_registry GROUP BY CAST(condition_code AS INTEGER)',
        shape,
      ],
      [
        "SELECT count(*) n FROM chronic_disease_registry WHERE CAST(COLUMNS('^__') AS INTEGER) = 1",
        /compares columns with constants|answers tables/,
      ],
      [
        'SELECT count(*) FROM chronic_disease_registry WHERE days_since_diagnosis > (SELECT 1)',
        /constant/,
      ],
      [
        "SELECT count(*) FROM chronic_disease_registry WHERE institution_uen > 5 AND condition_code = 'E11'",
        /minimum count|^$/,
      ],
    ]
    for (const [sql, rule] of corpus) {
      const answer = await query(sql)
      if (answer.status === 200) {
        // Only a table whose every cell passed may come back: never a row.
        expect(answer.rows.length, sql).toBeLessThanOrEqual(1)
        continue
      }
      expect(answer.status, sql).toBe(400)
      expect(answer.message, sql).toMatch(rule)
      expect(answer.message, sql).not.toMatch(/\|/)
      expect(answer.rows, sql).toEqual([])
    }
    // A person's identifier is no column of the view: named as a row-level column.
    for (const sql of [
      'SELECT person_key, count(*) FROM chronic_disease_registry GROUP BY person_key',
      "SELECT count(*) FROM chronic_disease_registry WHERE person_key = 'x'",
      'SELECT count(person_key) FROM chronic_disease_registry',
    ])
      await refused(sql, /person_key identifies a person: no row-level column is offered/)
    // Nor does anything leave as a file.
    const csv = await query(
      'SELECT condition_code, count(*) FROM chronic_disease_registry GROUP BY condition_code',
      'csv',
    )
    expect(csv.status).toBe(400)
    expect(csv.message).toMatch(/aggregates only: ask for JSON/)
    const extract = await platform.app.request(
      '/api/datasets/chronic-disease-registry/versions/1/extract?format=csv',
      { headers: platform.as['officer.moe'] },
    )
    expect(extract.status).toBe(404)
    // A second aggregate-only grant on the same data (with another row filter) is not given.
    const again = await post('officer.moe', '/api/requests', {
      dataset: 'chronic-disease-registry',
      scope: 'aggregates',
      purpose: 'A second look at chronic disease programmes by condition',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    expect(again.status).toBe(409)
  })
})
