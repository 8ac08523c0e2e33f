import { describe, expect, it } from 'vitest'
import { createWorkingDayCalendar } from '../reference/index.js'
import { serviceLevel } from './service-level.js'

const calendar = createWorkingDayCalendar()
const sgt = (local: string) => new Date(`${local}+08:00`)

describe('service level of a request', () => {
  it('runs over Chinese New Year to the seventh working day, then is overdue', () => {
    const submitted = [{ at: sgt('2026-02-13T16:30:00'), to: 'submitted' as const }]
    expect(serviceLevel(submitted, calendar, sgt('2026-02-18T12:00:00'))).toMatchObject({
      workingDays: 1,
      due: '2026-02-26',
      status: 'on-track',
    })
    expect(serviceLevel(submitted, calendar, sgt('2026-02-24T12:00:00'))).toMatchObject({
      workingDays: 5,
      status: 'due-soon',
    })
    expect(serviceLevel(submitted, calendar, sgt('2026-02-26T23:59:00'))).toMatchObject({
      workingDays: 7,
      status: 'due-soon',
    })
    expect(serviceLevel(submitted, calendar, sgt('2026-02-27T08:00:00'))).toMatchObject({
      workingDays: 8,
      status: 'overdue',
    })
  })

  it('pauses while the requester is asked for information, and records the decision', () => {
    const history = [
      { at: sgt('2026-02-13T10:00:00'), to: 'submitted' as const },
      { at: sgt('2026-02-24T10:00:00'), to: 'needs-info' as const },
      { at: sgt('2026-03-04T10:00:00'), to: 'submitted' as const },
    ]
    expect(serviceLevel(history.slice(0, 2), calendar, sgt('2026-03-03T10:00:00'))).toMatchObject({
      workingDays: 5,
      status: 'paused',
      due: undefined,
    })
    expect(serviceLevel(history, calendar, sgt('2026-03-04T18:00:00'))).toMatchObject({
      workingDays: 5,
      due: '2026-03-06',
    })
    const decided = [...history, { at: sgt('2026-03-09T10:00:00'), to: 'approved' as const }]
    expect(serviceLevel(decided, calendar, sgt('2026-06-01T00:00:00'))).toMatchObject({
      workingDays: 8,
      decisionWorkingDays: 8,
      status: 'missed',
    })
  })

  it('says when the count rests on holidays not yet confirmed', () => {
    const history = [{ at: sgt('2026-05-25T10:00:00'), to: 'submitted' as const }]
    expect(serviceLevel(history, calendar, sgt('2026-05-29T10:00:00'))).toMatchObject({
      workingDays: 3, // Hari Raya Haji on the 27th is provisional
      confirmed: false,
    })
  })
})
