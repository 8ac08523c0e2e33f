import { describe, expect, it } from 'vitest'
import { useTestPlatform } from '../testing/index.js'
import { announce } from './notifications.js'

const platform = useTestPlatform({ backend: 'pglite', signIn: ['officer.moe'] })

type Inbox = { notifications: { title: string; createdAt: string }[] }

describe("a person's inbox", () => {
  it('lists what happened in time order, newest first, whatever order it was written in', async () => {
    const { db } = platform.runtime
    const me = await db
      .selectFrom('users')
      .select(['id', 'agency_code'])
      .where('username', '=', 'officer.moe')
      .executeTakeFirstOrThrow()
    const told = (title: string, at: string) =>
      announce(
        db,
        {
          kind: 'request.approved',
          to: 'requester',
          title,
          body: '',
          link: '/requests/r_order',
          request: {
            id: 'r_order',
            agency: 'DOS',
            requesterId: me.id,
            requesterAgency: me.agency_code,
          },
          actorId: 'someone-else',
          details: {},
        },
        new Date(at),
      )
    // A replay writes a later moment first, then an earlier one, then one between them.
    await told('Third of three', '2031-03-03T09:00:00+08:00')
    await told('First of three', '2031-03-01T09:00:00+08:00')
    await told('Second of three', '2031-03-02T09:00:00+08:00')

    const inbox = await platform.call<Inbox>('GET', '/api/notifications', 'officer.moe')
    const titles = inbox.body.data.notifications
      .map((n) => n.title)
      .filter((t) => t.endsWith('of three'))
    expect(titles).toEqual(['Third of three', 'Second of three', 'First of three'])
  })
})
