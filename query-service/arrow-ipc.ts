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
  /** One chunk's column as Arrow data. */
  data: (chunk: DuckDBDataChunk, index: number) => A.Data
}

/** What DuckDB's vectors hold inside (not public API: checked, with a fallback when absent). */
interface VectorInternals {
  items?: ArrayLike<unknown> & { slice(start: number, end: number): ArrayBufferView }
  validity?: { data: BigUint64Array | null; offset: number }
}

/** Arrow's validity bitmap (same bit order as DuckDB's) and null count for `n` items. */
function validityOf(
  vector: VectorInternals,
  n: number,
): { nullBitmap?: Uint8Array; nullCount: number } {
  const data = vector.validity?.data
  if (!data || vector.validity?.offset !== 0) return { nullCount: 0 }
  const bytes = new Uint8Array(data.buffer, data.byteOffset, Math.ceil(n / 8)).slice()
  let valid = 0
  for (let i = 0; i < n; i++) if ((bytes[i >> 3] ?? 0) & (1 << (i & 7))) valid++
  return { nullBitmap: bytes, nullCount: n - valid }
}

/**
 * Fixed-width columns copied from DuckDB's own buffers (the fast path of
 * ../shared/notes/stack.md §3); `generic` when the vector does not look as expected.
 */
function fixedWidth(type: A.DataType, generic: ColumnPlan['data']): ColumnPlan['data'] {
  return (chunk, index) => {
    const vector = chunk.getColumnVector(index) as unknown as VectorInternals
    const n = chunk.rowCount
    if (!vector.items || typeof vector.items.slice !== 'function') return generic(chunk, index)
    return A.makeData({
      type,
      length: n,
      ...validityOf(vector, n),
      data: vector.items.slice(0, n),
    } as never)
  }
}

/** Text columns: one UTF-8 buffer and its offsets per chunk (Node's Buffer encodes fastest). */
function utf8(chunk: DuckDBDataChunk, index: number): A.Data {
  const vector = chunk.getColumnVector(index)
  const n = chunk.rowCount
  const offsets = new Int32Array(n + 1)
  let buffer = Buffer.allocUnsafe(n * 16)
  let at = 0
  for (let i = 0; i < n; i++) {
    const value = vector.getItem(i)
    if (value !== null) {
      const text = String(value)
      if (buffer.length - at < text.length * 3) {
        const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, at + text.length * 3))
        buffer.copy(grown, 0, 0, at)
        buffer = grown
      }
      at += buffer.write(text, at)
    }
    offsets[i + 1] = at
  }
  return A.makeData({
    type: new A.Utf8(),
    length: n,
    ...validityOf(vector as unknown as VectorInternals, n),
    valueOffsets: offsets,
    data: new Uint8Array(buffer.buffer, buffer.byteOffset, at),
  })
}

/**
 * DuckDB's chunks as an Arrow IPC stream (DuckDB's Node API has no Arrow output, so the
 * conversion is ours; fixed-width columns are copied from DuckDB's buffers as they are, text is
 * encoded once per chunk): numbers, booleans, text, dates and timestamps keep their Arrow types;
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
      const children = plans.map((plan, i) => plan.data(chunk, i))
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
    const fromValues =
      (type: A.DataType, convert: (chunk: DuckDBDataChunk, index: number) => unknown[]) =>
      (chunk: DuckDBDataChunk, index: number) =>
        A.vectorFromArray(convert(chunk, index), type).data[0] as A.Data
    const js = (chunk: DuckDBDataChunk, index: number) =>
      chunk.convertColumnValues(index, JSDuckDBValueConverter) as unknown[]
    const text = (chunk: DuckDBDataChunk, index: number) =>
      chunk
        .convertColumnValues(index, JsonDuckDBValueConverter)
        .map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v)))
    const fixed = (type: A.DataType) => ({
      name,
      type,
      data: fixedWidth(type, fromValues(type, js)),
    })
    switch (types[i]?.typeId) {
      case DuckDBTypeId.BOOLEAN:
        return { name, type: new A.Bool(), data: fromValues(new A.Bool(), js) }
      case DuckDBTypeId.TINYINT:
        return fixed(new A.Int8())
      case DuckDBTypeId.SMALLINT:
        return fixed(new A.Int16())
      case DuckDBTypeId.INTEGER:
        return fixed(new A.Int32())
      case DuckDBTypeId.BIGINT:
        return fixed(new A.Int64())
      case DuckDBTypeId.FLOAT:
        return fixed(new A.Float32())
      case DuckDBTypeId.DOUBLE:
        return fixed(new A.Float64())
      case DuckDBTypeId.DATE:
        return fixed(new A.DateDay())
      case DuckDBTypeId.TIMESTAMP:
        return fixed(new A.TimestampMicrosecond())
      case DuckDBTypeId.TIMESTAMP_TZ:
        return fixed(new A.TimestampMicrosecond('UTC'))
      case DuckDBTypeId.UTINYINT:
      case DuckDBTypeId.USMALLINT:
        return { name, type: new A.Int32(), data: fromValues(new A.Int32(), js) }
      case DuckDBTypeId.UINTEGER:
        return {
          name,
          type: new A.Int64(),
          data: fromValues(new A.Int64(), (chunk, index) =>
            js(chunk, index).map((v) => (v === null ? null : BigInt(v as number))),
          ),
        }
      case DuckDBTypeId.DECIMAL:
        return { name, type: new A.Float64(), data: fromValues(new A.Float64(), js) }
      case DuckDBTypeId.VARCHAR:
        return { name, type: new A.Utf8(), data: utf8 }
      case DuckDBTypeId.TIMESTAMP_S:
      case DuckDBTypeId.TIMESTAMP_MS:
        return {
          name,
          type: new A.TimestampMillisecond(),
          data: fromValues(new A.TimestampMillisecond(), js),
        }
      default:
        return { name, type: new A.Utf8(), data: fromValues(new A.Utf8(), text) }
    }
  })
}
