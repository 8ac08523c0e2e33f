import { describe, expect, it } from 'vitest'
import {
  type Approval,
  approvalConditions,
  approvalsNeeded,
  approvedExpiry,
  lapsedApprovals,
  narrowestTerms,
  type RecordedConditions,
} from './approval.js'

const sgt = (local: string) => new Date(`${local}+08:00`)
const now = sgt('2026-03-02T10:00:00')
const request = {
  columns: ['person_key', 'planning_area_code', 'age_band'],
  durationDays: 30,
  dataset: {
    columns: {
      names: ['person_key', 'nric', 'planning_area_code', 'age_band'],
      directIdentifiers: ['person_key', 'nric'],
    },
  },
}
const approval = (steward: string, conditions: Partial<RecordedConditions>): Approval => ({
  stewardId: `u_${steward}`,
  steward,
  at: now,
  conditions: { expiresAt: '2026-04-01T02:00:00.000Z', ...conditions },
})
const refusal = (decide: () => unknown) => {
  try {
    decide()
  } catch (error) {
    const { code, message } = error as { code: string; message: string }
    return { code, message }
  }
  throw new Error('expected a refusal')
}

describe('approvals needed', () => {
  it('takes two stewards for Sensitive High data row by row, one for its aggregates', () => {
    expect(approvalsNeeded('sensitive-high', 'rows')).toBe(2)
    expect(approvalsNeeded('sensitive-high', 'aggregates')).toBe(1)
  })

  it('takes one steward for anything less sensitive', () => {
    expect(approvalsNeeded('sensitive-normal', 'rows')).toBe(1)
    expect(approvalsNeeded('non-sensitive', 'rows')).toBe(1)
  })
})

describe('expiry bounds of an approval', () => {
  it('runs the whole duration requested by default', () => {
    expect(approvedExpiry(undefined, 30, now)).toEqual(sgt('2026-04-01T10:00:00'))
  })

  it('accepts an end after now, up to the last instant of the duration', () => {
    expect(approvedExpiry(sgt('2026-03-02T10:00:01'), 30, now)).toEqual(sgt('2026-03-02T10:00:01'))
    expect(approvedExpiry(sgt('2026-04-01T10:00:00'), 30, now)).toEqual(sgt('2026-04-01T10:00:00'))
  })

  it('refuses an end now or before, or past the duration requested', () => {
    expect(refusal(() => approvedExpiry(now, 30, now))).toEqual({
      code: 'invalid_input',
      message: 'expiresAt: must be in the future',
    })
    expect(refusal(() => approvedExpiry(sgt('2026-04-01T10:00:01'), 30, now))).toEqual({
      code: 'invalid_input',
      message:
        'expiresAt: at most the 30 days requested, i.e. no later than 2026-04-01T02:00:00.000Z',
    })
  })
})

describe("a steward's conditions", () => {
  it('records only the conditions given, with the end fixed', () => {
    expect(
      approvalConditions(
        {
          columns: ['person_key', 'age_band'],
          rowFilter: [],
          inClear: ['person_key'],
          expiresAt: sgt('2026-03-31T00:00:00'),
        },
        request,
        now,
      ),
    ).toEqual({
      columns: ['person_key', 'age_band'],
      inClear: ['person_key'],
      expiresAt: '2026-03-30T16:00:00.000Z',
    })
    expect(approvalConditions({}, request, now)).toEqual({
      expiresAt: '2026-04-01T02:00:00.000Z',
    })
  })

  it('refuses columns not requested, unknown columns and filters, and clear non-identifiers', () => {
    expect(refusal(() => approvalConditions({ columns: ['nric'] }, request, now))).toEqual({
      code: 'invalid_input',
      message:
        "columns: 'nric' were not requested; approve a subset of person_key, planning_area_code, age_band",
    })
    expect(refusal(() => approvalConditions({ columns: ['income'] }, request, now))).toEqual({
      code: 'invalid_input',
      message:
        "columns: no column 'income' in this dataset (it has person_key, nric, planning_area_code, age_band)",
    })
    const filter = [{ column: 'income', op: 'gt' as const, value: 1 }]
    expect(refusal(() => approvalConditions({ rowFilter: filter }, request, now))).toMatchObject({
      message: expect.stringContaining("no column 'income'"),
    })
    expect(
      refusal(() => approvalConditions({ inClear: ['age_band', 'nric', 'sex'] }, request, now)),
    ).toEqual({
      code: 'invalid_input',
      message:
        "inClear: 'age_band', 'sex' are not a direct identifier of this dataset (person_key, nric)",
    })
  })
})

describe('lapsed approvals', () => {
  it('are those whose end has come', () => {
    const ended = approval('a', { expiresAt: now.toISOString() })
    const running = approval('b', { expiresAt: '2026-03-02T02:00:00.001Z' })
    expect(lapsedApprovals([ended, running], now)).toEqual([ended])
  })
})

describe('the narrowest of several approvals', () => {
  it('keeps the columns every approver left in, in the order requested', () => {
    const terms = narrowestTerms(
      [
        approval('a', { columns: ['age_band', 'person_key'] }),
        approval('b', { columns: ['person_key', 'planning_area_code', 'age_band'] }),
        approval('c', {}),
      ],
      request.columns,
    )
    expect(terms.columns).toEqual(['person_key', 'age_band'])
  })

  it('shares every column when nothing was narrowed, or the first approver’s when all were asked', () => {
    expect(narrowestTerms([approval('a', {})], undefined).columns).toBeUndefined()
    expect(
      narrowestTerms(
        [
          approval('a', { columns: ['age_band', 'person_key'] }),
          approval('b', { columns: ['person_key', 'age_band', 'nric'] }),
        ],
        undefined,
      ).columns,
    ).toEqual(['age_band', 'person_key'])
  })

  it('applies every row filter at once, the earliest end, and masks what anyone masked', () => {
    const east = { column: 'planning_area_code', op: 'in' as const, values: ['BEDOK'] }
    const adults = { column: 'age_band', op: 'gte' as const, value: '20-24' }
    expect(
      narrowestTerms(
        [
          approval('a', {
            rowFilter: [east],
            inClear: ['nric', 'person_key'],
            expiresAt: '2026-03-20T00:00:00.000Z',
          }),
          approval('b', { rowFilter: [adults], inClear: ['person_key'] }),
        ],
        request.columns,
      ),
    ).toEqual({
      columns: request.columns,
      rowFilter: [east, adults],
      inClear: ['person_key'],
      expiresAt: new Date('2026-03-20T00:00:00.000Z'),
    })
    const oneMasksAll = [approval('a', { inClear: ['person_key'] }), approval('b', {})]
    expect(narrowestTerms(oneMasksAll, request.columns).inClear).toEqual([])
  })

  it('is a conflict when the approvals share no column', () => {
    const split = [
      approval('a', { columns: ['age_band'] }),
      approval('b', { columns: ['person_key'] }),
    ]
    expect(refusal(() => narrowestTerms(split, request.columns))).toEqual({
      code: 'conflict',
      message:
        'The approvals share no column: approve with columns that overlap the first approval, or reject',
    })
  })
})
