import {
  type DuckDBDataChunk,
  type DuckDBDecimalType,
  type DuckDBType,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  JsonDuckDBValueConverter,
} from '@duckdb/node-api'
import bindings from '@duckdb/node-bindings'
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
  /** VARCHAR and DECIMAL vectors: their values as DuckDB lays them out (a copy, never shared). */
  dataView?: DataView<ArrayBuffer>
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

/** Text columns through JS strings: the fallback when a vector does not look as expected. */
function utf8FromStrings(chunk: DuckDBDataChunk, index: number): A.Data {
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

/** Size of DuckDB's `duckdb_string_t`: a 4-byte length, then 12 inline bytes or a prefix and a pointer. */
const STRING_T = 16
const INLINE_MAX = 12

/**
 * Text columns copied as UTF-8 bytes straight from DuckDB's string structs, with no decoding
 * into JS strings and re-encoding. Short strings are inline in the struct; longer ones are read
 * through their pointer by DuckDB's own binding (as the Node API itself does), one read per run
 * of strings that lie back to back in DuckDB's memory (the usual case: a vector's strings are
 * allocated one after another), so a read never covers a byte that is not part of a string.
 */
function utf8(chunk: DuckDBDataChunk, index: number): A.Data {
  const vector = chunk.getColumnVector(index) as unknown as VectorInternals
  const n = chunk.rowCount
  const view = vector.dataView
  if (!view || view.byteLength < n * STRING_T || (vector.validity && vector.validity.offset !== 0))
    return utf8FromStrings(chunk, index)
  const validity = validityOf(vector, n)
  const bitmap = validity.nullBitmap
  const valid = (i: number) => !bitmap || ((bitmap[i >> 3] ?? 0) & (1 << (i & 7))) !== 0
  const offsets = new Int32Array(n + 1)
  let total = 0
  for (let i = 0; i < n; i++) {
    if (valid(i)) total += view.getUint32(i * STRING_T, true)
    offsets[i + 1] = total
  }
  const data = new Uint8Array(total)
  const structs = new Uint8Array(view.buffer, view.byteOffset, n * STRING_T)
  // The run of pointed-to strings being gathered: its first struct, output position, length, end.
  let runStruct = 0
  let runAt = 0
  let runLength = 0
  let runEnd = 0
  const flush = () => {
    if (runLength === 0) return
    const bytes = bindings.get_data_from_pointer(
      view.buffer,
      view.byteOffset + runStruct + 8,
      runLength,
    )
    data.set(bytes, runAt)
    runLength = 0
  }
  for (let i = 0; i < n; i++) {
    const at = offsets[i] as number
    const length = (offsets[i + 1] as number) - at
    if (length === 0) continue
    const struct = i * STRING_T
    if (length <= INLINE_MAX) {
      flush()
      for (let b = 0; b < length; b++) data[at + b] = structs[struct + 4 + b] as number
      continue
    }
    // User-space addresses fit well within a double's 53 exact bits.
    const address = view.getUint32(struct + 12, true) * 2 ** 32 + view.getUint32(struct + 8, true)
    if (runLength > 0 && address === runEnd) {
      runLength += length
      runEnd += length
    } else {
      flush()
      runStruct = struct
      runAt = at
      runLength = length
      runEnd = address + length
    }
  }
  flush()
  return A.makeData({ type: new A.Utf8(), length: n, ...validity, valueOffsets: offsets, data })
}

/**
 * DECIMAL columns as Arrow's exact Decimal128 (what pyarrow, polars and DuckDB read back as
 * decimals): DuckDB holds the scaled integer in 2, 4, 8 or 16 bytes by width; each becomes a
 * 16-byte little-endian two's complement value, sign-extended, with no detour through numbers.
 */
function decimal128(width: number, scale: number): ColumnPlan['data'] {
  const size = width <= 4 ? 2 : width <= 9 ? 4 : width <= 18 ? 8 : 16
  return (chunk, index) => {
    const vector = chunk.getColumnVector(index)
    const internals = vector as unknown as VectorInternals
    const n = chunk.rowCount
    const words = new Uint32Array(4 * n)
    const view = internals.dataView
    if (view && view.byteLength >= n * size) {
      if (size === 16)
        new Uint8Array(words.buffer).set(new Uint8Array(view.buffer, view.byteOffset, n * 16))
      for (let i = 0; size < 16 && i < n; i++) {
        const low =
          size === 2
            ? view.getInt16(i * 2, true)
            : size === 4
              ? view.getInt32(i * 4, true)
              : view.getUint32(i * 8, true)
        const high = size === 8 ? view.getInt32(i * 8 + 4, true) : low >> 31
        const sign = high >> 31
        words[4 * i] = low
        words[4 * i + 1] = high
        words[4 * i + 2] = sign
        words[4 * i + 3] = sign
      }
    } else {
      const longs = new BigInt64Array(words.buffer)
      for (let i = 0; i < n; i++) {
        const item = vector.getItem(i) as { value: bigint } | null
        if (item === null) continue
        longs[2 * i] = BigInt.asIntN(64, item.value)
        longs[2 * i + 1] = BigInt.asIntN(64, item.value >> 64n)
      }
    }
    return A.makeData({
      type: new A.Decimal(scale, width, 128),
      length: n,
      ...validityOf(internals, n),
      data: words,
    })
  }
}

/**
 * DuckDB's chunks as an Arrow IPC stream (DuckDB's Node API has no Arrow output, so the
 * conversion is ours; fixed-width columns are copied from DuckDB's buffers as they are, text is
 * encoded once per chunk): numbers, booleans, text, dates and timestamps keep their Arrow types;
 * DECIMAL stays an exact Decimal128; everything else (HUGEINT, UUID, LIST, STRUCT, INTERVAL…) travels as
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
      case DuckDBTypeId.DECIMAL: {
        const { width, scale } = types[i] as DuckDBDecimalType
        return { name, type: new A.Decimal(scale, width, 128), data: decimal128(width, scale) }
      }
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
