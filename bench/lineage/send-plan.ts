import { syntheticEvents } from './synthetic-events.js'

/** What the senders post: `count` synthetic events (see `syntheticEvents`), one or `batch` a request. */
export interface SendPlan {
  url: string
  count: number
  salt: string
  /** Events a request: 1 posts each alone (the body an event, not an array). */
  batch: number
  clients: number
  /** The status each request should be answered with. */
  expected: number
}

/** The request bodies of a plan, with the events each carries. */
export function sendPlanRequests(plan: SendPlan): { body: string; events: number }[] {
  const events = syntheticEvents(plan.count, plan.salt)
  if (plan.batch === 1) return events.map((event) => ({ body: JSON.stringify(event), events: 1 }))
  return Array.from({ length: Math.ceil(events.length / plan.batch) }, (_, i) => {
    const slice = events.slice(i * plan.batch, (i + 1) * plan.batch)
    return { body: JSON.stringify(slice), events: slice.length }
  })
}
