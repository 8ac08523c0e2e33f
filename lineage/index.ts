/**
 * @module lineage
 * OpenLineage events, their store and the lineage graph (issue: Lineage). Nothing is exported
 * yet: the Trusted Centre records its runs in its own tables until this module receives them.
 */

export {}
