import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createEventValidator } from './validate-event.js'

// Real events from Airflow, Spark, Marquez and the OpenLineage repositories, with the outcome
// each must get (vendored in openlineage-examples/, with its licence).
const EXAMPLES = new URL('./openlineage-examples/', import.meta.url)
interface Example {
  file: string
  category: 'valid' | 'composed' | 'format-lenient' | 'invalid'
  note?: string
}
const manifest = JSON.parse(readFileSync(new URL('manifest.json', EXAMPLES), 'utf8')) as {
  events: Example[]
}
const read = (file: string) => JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as unknown

describe('OpenLineage event validation', () => {
  const validator = createEventValidator()

  it('covers every example in the manifest', () => {
    expect(manifest.events.length).toBeGreaterThanOrEqual(60)
  })

  for (const example of manifest.events)
    it(`${example.category}: ${example.file}`, () => {
      const check = validator.check(read(example.file))
      if (example.category === 'valid' || example.category === 'composed') {
        expect(check.errors).toEqual([])
        expect(check.warnings).toEqual([])
      } else if (example.category === 'format-lenient') {
        expect(check.errors).toEqual([])
        expect(check.warnings.length).toBeGreaterThan(0)
      } else {
        expect(check.errors.length, example.note).toBeGreaterThan(0)
      }
    })

  it('names the violation with its path', () => {
    const noRunId = validator.check(read('invalid/ol__proxy-fluentd__event_no_run_id.json'))
    expect(noRunId.errors).toContain("run: must have required property 'runId'")
    const badOwner = validator.check(
      read('invalid/ol__proxy-fluentd__event_invalid_job_facet.json'),
    )
    expect(badOwner.errors.join('\n')).toMatch(
      /^job\.facets\.ownership\.owners\.0: must have required property 'name'/m,
    )
    const badStatistics = validator.check(
      read('invalid/ol__proxy-fluentd__event_invalid_output_dataset_facet.json'),
    )
    expect(badStatistics.errors.join('\n')).toMatch(
      /outputs\.0\.outputFacets\.outputStatistics\.rowCount: must be integer/,
    )
  })

  it('chooses a facet schema by where the facet hangs, not by its name alone', () => {
    const event = read('valid/../ol__proxy-fluentd__event_simple.json') as Record<string, never>
    const owners = {
      _producer: 'https://example.org/p',
      _schemaURL: 'https://example.org/s',
      owners: [{}],
    }
    const withJobOwner = {
      ...event,
      job: { ...(event.job as unknown as object), facets: { ownership: owners } },
    }
    expect(validator.check(withJobOwner).errors.join()).toMatch(/job\.facets\.ownership/)
    // A facet key no standard schema has is a custom facet: only _producer and _schemaURL count.
    const custom = {
      ...event,
      job: {
        ...(event.job as unknown as object),
        facets: {
          govcat_x: { _producer: 'https://e.org', _schemaURL: 'https://e.org/s', anything: 1 },
        },
      },
    }
    expect(validator.check(custom)).toMatchObject({ errors: [], warnings: [] })
    const bare = {
      ...event,
      job: { ...(event.job as unknown as object), facets: { govcat_x: { anything: 1 } } },
    }
    expect(validator.check(bare).errors.join()).toMatch(/_producer/)
  })

  it('bounds names and refuses one with a character nobody can see, keeping it as sent', () => {
    const event = read('ol__proxy-fluentd__event_simple.json') as Record<string, never>
    const job = event.job as unknown as object
    const hidden = { ...event, job: { ...job, name: 'fuse.person\u200B_address' } }
    expect(validator.check(hidden).errors).toEqual([
      'job.name: contains an invisible character U+200B',
    ])
    const long = { ...event, outputs: [{ namespace: 's3://bucket', name: 'x'.repeat(2_049) }] }
    expect(validator.check(long).errors).toEqual(['outputs.0.name: at most 2,048 characters'])
    const fullWidth = { ...event, job: { ...job, name: 'ｆｕｓｅ' } }
    expect(validator.check(fullWidth).errors).toEqual([])
  })

  it('refuses what is no event at all', () => {
    expect(validator.check([]).errors).toEqual(['event: must be an object'])
    expect(validator.check({ eventTime: 'x' }).errors[0]).toMatch(/must carry run and job/)
  })
})
