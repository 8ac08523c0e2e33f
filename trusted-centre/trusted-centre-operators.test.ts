import { describe, expect, it } from 'vitest'
import { FEED_CONTRACTS } from './contracts/feed-contracts.js'
import { PIPELINES } from './pipelines/pipelines.js'
import { operatorOf } from './trusted-centre-operators.js'

describe('Trusted Centre operators', () => {
  it('names the agency operating the centre of every feed and pipeline', () => {
    for (const feed of FEED_CONTRACTS) expect(operatorOf(feed.trustedCentre)).toMatch(/^[A-Z]+$/)
    for (const pipeline of PIPELINES)
      expect(operatorOf(pipeline.dataset.trustedCentre)).toMatch(/^[A-Z]+$/)
    expect(() => operatorOf('TC-Nowhere')).toThrow('No agency is recorded as operating TC-Nowhere')
  })
})
