/** The codings the portal's files come in: as they are, or precompressed by the build. */
export type ContentCoding = 'identity' | 'br' | 'gzip'

/** Brotli first (smaller), then gzip, when the browser weighs them alike. */
const PREFERENCE: readonly ContentCoding[] = ['br', 'gzip']

/**
 * The coding to send, of those `available`, by the request's Accept-Encoding (RFC 9110 §12.5.3):
 * the compressed one it weighs highest (`q`), Brotli before gzip on a tie; `*` stands for any coding it
 * does not name; `q=0` refuses a coding. Without the header, or with nothing acceptable, the
 * file as it is.
 *
 * @example chooseCoding('gzip, deflate, br', ['identity', 'br', 'gzip']) // 'br'
 */
export function chooseCoding(
  acceptEncoding: string | null | undefined,
  available: readonly ContentCoding[],
): ContentCoding {
  if (!acceptEncoding) return 'identity'
  const weights = new Map<string, number>()
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim())
    if (!name) continue
    const q = params.find((p) => /^q=/i.test(p))
    const weight = q ? Number(q.slice(2)) : 1
    weights.set(name.toLowerCase(), Number.isFinite(weight) ? weight : 0)
  }
  const weightOf = (coding: ContentCoding) => weights.get(coding) ?? weights.get('*') ?? 0
  let best: ContentCoding = 'identity'
  let bestWeight = 0
  for (const coding of PREFERENCE) {
    if (!available.includes(coding)) continue
    const weight = weightOf(coding)
    if (weight > bestWeight) {
      best = coding
      bestWeight = weight
    }
  }
  return best
}
