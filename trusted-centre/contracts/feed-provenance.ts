import type { FeedColumn } from './feed-contract.js'

/** The columns every fixture delivery ends with: that it is synthetic, and its delivery label. */
export const provenance: FeedColumn[] = [
  {
    name: 'synthetic',
    type: 'BOOLEAN',
    required: true,
    description: 'Always true: fixture data',
    personalData: 'none',
  },
  {
    name: 'feed_version',
    type: 'VARCHAR',
    required: true,
    normalize: 'trim',
    description: 'Label of the delivery',
    personalData: 'none',
  },
]
