import { describe, expect, it } from 'vitest'
import { attachmentOf, queryFileName, singaporeStamp } from './download-name.js'

const AT = new Date('2026-12-07T07:30:00Z')

describe('the file name of a query’s answer', () => {
  it('names the datasets read and the time in Singapore', () => {
    expect(singaporeStamp(AT)).toBe('2026-12-07T1530+0800')
    expect(singaporeStamp(new Date('2026-12-31T16:05:00Z'))).toBe('2027-01-01T0005+0800')
    expect(queryFileName(['hdb-resale-transactions'], AT, 'csv')).toBe(
      'hdb-resale-transactions_2026-12-07T1530+0800.csv',
    )
    expect(queryFileName(['a', 'b', 'a'], AT, 'parquet')).toBe('a_b_2026-12-07T1530+0800.parquet')
    expect(queryFileName(['a', 'b', 'c', 'd', 'e'], AT, 'csv')).toBe(
      'a_b_c-and-2-more_2026-12-07T1530+0800.csv',
    )
    expect(queryFileName([], AT, 'arrows')).toBe('query_2026-12-07T1530+0800.arrows')
  })

  it('keeps a hostile name from breaking the header or leaving its folder', () => {
    const hostile = 'x"; filename="evil.exe\r\nSet-Cookie: session=1/../../é\\'
    const name = queryFileName([hostile], AT, 'csv')
    expect(name).toBe('x-filename-evil-exe-Set-Cookie-session-1-e_2026-12-07T1530+0800.csv')
    const header = attachmentOf(name)
    expect(header).toBe(`attachment; filename="${name}"`)
    expect(attachmentOf('a"b\r\nc/d\\é.csv')).toBe('attachment; filename="a-b-c-d-.csv"')
    for (const h of [header, attachmentOf(hostile)]) {
      expect(h).toMatch(/^attachment; filename="[A-Za-z0-9._+-]+"$/)
    }
  })
})
