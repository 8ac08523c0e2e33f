import type { PointResult, SearchResult } from './scale-results.js'

// The results of `npm run bench:scale`'s phases as one shape per component and point: the size
// the cost grows with, and what it cost.

/** One step of a component at one point: its size and what it cost. */
export interface Observation {
  /** What the cost grows with: rows (search: catalogue entries). */
  size: number
  seconds: number
  /** Rows it went through, for rows per second. */
  rows?: number
  bytes?: number
  /** Its process's peak resident memory while the step ran. */
  peakRssMb?: number
}
/** One component's observations, one per point (undefined where its phase failed). */
export type Observations = (Observation | undefined)[]

/** Every component's observations across the points. */
export interface Observed {
  generated: Observations
  feedGenerated(feed: string): Observations
  ingest(feed: string): Observations
  fusion(pipeline: string): Observations
  /** The Trusted Centre process as a whole (size: rows ingested). */
  trustedCentre: Observations
  extract(format: string): Observations
  /** A search measure, in place of seconds (size: catalogue entries). */
  search(pick: (s: SearchResult) => number): Observations
}

/** Each component's observations from the points' results, in point order. */
export function observe(results: PointResult[]): Observed {
  const at = (pick: (r: PointResult) => Observation | undefined): Observations => results.map(pick)
  return {
    generated: at(({ generate: g }) => {
      if (!g) return undefined
      const rows = g.feeds.reduce((n, f) => n + f.rows, 0)
      const bytes = g.feeds.reduce((n, f) => n + f.bytes, 0)
      return { size: rows, seconds: g.seconds, rows, bytes, peakRssMb: g.peakRssMb }
    }),
    feedGenerated: (feed) =>
      at((r) => {
        const f = r.generate?.feeds.find((x) => x.feed === feed)
        return f && { size: f.rows, seconds: f.seconds, rows: f.rows, bytes: f.bytes }
      }),
    ingest: (feed) =>
      at(({ tc }) => {
        const i = tc?.ingests.find((x) => x.feed === feed)
        if (!i) return undefined
        const { rowsIn, seconds, peakRssMb } = i
        return { size: rowsIn, seconds, rows: rowsIn, peakRssMb }
      }),
    fusion: (pipeline) =>
      at(({ tc }) => {
        const f = tc?.fusions.find((x) => x.pipeline === pipeline)
        if (!f) return undefined
        const { inputRows, seconds, publishedBytes, peakRssMb } = f
        return { size: inputRows, seconds, bytes: publishedBytes, peakRssMb }
      }),
    trustedCentre: at(({ tc }) => {
      if (!tc) return undefined
      const rows = tc.ingests.reduce((n, i) => n + i.rowsIn, 0)
      const seconds = [...tc.ingests, ...tc.fusions].reduce((n, s) => n + s.seconds, 0)
      return { size: rows, seconds, peakRssMb: tc.peakRssMb }
    }),
    extract: (format) =>
      at(({ extract }) => {
        const e = extract?.formats.find((x) => x.format === format)
        if (!e) return undefined
        const { rows, seconds, bytes, peakRssMb } = e
        return { size: rows, seconds, rows, bytes, peakRssMb }
      }),
    search: (pick) => at(({ search: s }) => s && { size: s.entries, seconds: pick(s) }),
  }
}
