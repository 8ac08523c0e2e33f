import {
  type DuckDBDataChunk,
  type DuckDBType,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  JsonDuckDBValueConverter,
} from '@duckdb/node-api'
import * as A from 'apache-arrow'

export const ARROW_MEDIA_TYPE = 'application/vnd.apache.arrow.stream'

interface ColumnPlan {
  name: string
  type: A.DataType
  /** JS values of one chunk's column, as the Arrow type takes them. */
  values: (chunk: DuckDBDataChunk, index: number) => unknown[]
}

/**
 * DuckDB's chunks as an Arrow IPC stream (DuckDB's Node API has no Arrow output, so the
 * conversion is ours): numbers, booleans, text, dates and timestamps keep their Arrow types;
 * DECIMAL becomes Float64; everything else (HUGEINT, UUID, LIST, STRUCT, INTERVAL…) travels as
 * its lossless JSON text. One record batch per chunk, so memory stays one chunk deep.
 */
export function arrowStream(
  chunks: AsyncIterable<DuckDBDataChunk>,
  describe: () => { names: string[]; types: DuckDBType[] },
): ReadableStream<Uint8Array> {
  async function* batches(): AsyncGenerator<A.RecordBatch> {
    let plans: ColumnPlan[] | undefined
    let schema: A.Schema | undefined
    for await (const chunk of chunks) {
      if (!plans || !schema) {
        const { names, types } = describe()
        plans = planColumns(names, types)
        schema = new A.Schema(plans.map((p) => new A.Field(p.name, p.type, true)))
      }
      const children = plans.map(
        (plan, i) => A.vectorFromArray(plan.values(chunk, i), plan.type).data[0],
      )
      yield new A.RecordBatch(
        schema,
        A.makeData({
          type: new A.Struct(schema.fields),
          length: chunk.rowCount,
          nullCount: 0,
          children: children as A.Data[],
        }),
      )
    }
  }
  // Batches are made only as the reader asks for bytes: each read lets the pump convert one more
  // chunk, so a slow client holds back DuckDB instead of filling memory.
  const writer = new A.RecordBatchStreamWriter()
  const out = writer[Symbol.asyncIterator]()
  const source = batches()
  let demand: (() => void) | undefined
  let asked = 0
  const pump = (async () => {
    try {
      for (;;) {
        if (asked === 0)
          await new Promise<void>((resolve) => {
            demand = resolve
          })
        asked = Math.max(0, asked - 1)
        const next = await source.next()
        if (next.done) break
        writer.write(next.value)
      }
      writer.finish()
    } catch (error) {
      writer.abort(error)
      throw error
    }
  })()
  pump.catch(() => undefined)
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      asked++
      demand?.()
      demand = undefined
      const next = await out.next()
      if (next.done) {
        await pump
        controller.close()
      } else controller.enqueue(next.value)
    },
    async cancel() {
      await source.return(undefined)
      writer.abort()
    },
  })
}

function planColumns(names: string[], types: DuckDBType[]): ColumnPlan[] {
  const seen = new Map<string, number>()
  return names.map((raw, i) => {
    const n = (seen.get(raw) ?? 0) + 1
    seen.set(raw, n)
    const name = n === 1 ? raw : `${raw}_${n}`
    const js = (chunk: DuckDBDataChunk, index: number) =>
      chunk.convertColumnValues(index, JSDuckDBValueConverter) as unknown[]
    const text = (chunk: DuckDBDataChunk, index: number) =>
      chunk
        .convertColumnValues(index, JsonDuckDBValueConverter)
        .map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v)))
    switch (types[i]?.typeId) {
      case DuckDBTypeId.BOOLEAN:
        return { name, type: new A.Bool(), values: js }
      case DuckDBTypeId.TINYINT:
      case DuckDBTypeId.SMALLINT:
      case DuckDBTypeId.INTEGER:
      case DuckDBTypeId.UTINYINT:
      case DuckDBTypeId.USMALLINT:
        return { name, type: new A.Int32(), values: js }
      case DuckDBTypeId.BIGINT:
        return { name, type: new A.Int64(), values: js }
      case DuckDBTypeId.UINTEGER:
        return {
          name,
          type: new A.Int64(),
          values: (chunk, index) =>
            js(chunk, index).map((v) => (v === null ? null : BigInt(v as number))),
        }
      case DuckDBTypeId.FLOAT:
      case DuckDBTypeId.DOUBLE:
      case DuckDBTypeId.DECIMAL:
        return { name, type: new A.Float64(), values: js }
      case DuckDBTypeId.VARCHAR:
        return { name, type: new A.Utf8(), values: js }
      case DuckDBTypeId.DATE:
        return { name, type: new A.DateDay(), values: js }
      case DuckDBTypeId.TIMESTAMP:
      case DuckDBTypeId.TIMESTAMP_S:
      case DuckDBTypeId.TIMESTAMP_MS:
      case DuckDBTypeId.TIMESTAMP_TZ:
        return { name, type: new A.TimestampMillisecond(), values: js }
      default:
        return { name, type: new A.Utf8(), values: text }
    }
  })
}
