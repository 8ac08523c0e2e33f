import { postEvents } from './post-events.js'
import { type SendPlan, sendPlanRequests } from './send-plan.js'

// The bench's OpenLineage senders, a process of their own (forked by `postFromSenders`): their
// HTTP clients cost CPU as the server's own work would, and real senders run elsewhere. The
// requests are built first; sending starts on the parent's word, and the result goes back to it.
process.once('message', (plan: SendPlan) => {
  const requests = sendPlanRequests(plan)
  process.once('message', async () => {
    const result = await postEvents(plan.url, requests, {
      clients: plan.clients,
      expected: plan.expected,
    })
    process.send?.({ result }, () => process.disconnect())
  })
  process.send?.({ ready: true })
})
