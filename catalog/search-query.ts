import { isIdentifier, searchKey, splitIdentifiers } from './search-text.js'

/** A glossary term as a set of phrases that mean the same: its name, synonyms, abbreviations. */
export interface TermMeaning {
  term: string
  /** Search keys (see searchKey): the name's first, then each synonym's and abbreviation's. */
  keys: string[]
}

/** What a person typed, read for meaning. */
export interface ReadQuery {
  /** The words no term matched, as `websearch_to_tsquery` reads them (identifiers quoted, split). */
  rest: string
  /** Per term found in the words: the phrases any of which may match in its place. */
  terms: { term: string; phrases: string[] }[]
}

/** Longest phrase looked for, in words: "place of residence of the person" is six. */
const LONGEST = 6

interface Token {
  text: string
  /** Plain words take part in term matching; quoted phrases, exclusions and OR do not. */
  plain: boolean
  words: string[]
}

function tokenize(q: string): Token[] {
  const tokens = (q.match(/-?"[^"]*"?|\S+/g) ?? []).map((text) => {
    const plain = !/^[-"]/.test(text) && text.toLowerCase() !== 'or'
    return { text, plain, words: plain ? searchKey(text).split(' ').filter(Boolean) : [] }
  })
  // With OR in play, which words belong together is the person's to say: only split identifiers.
  const hasOr = tokens.some((t) => t.text.toLowerCase() === 'or')
  return hasOr ? tokens.map((t) => ({ ...t, words: [] })) : tokens
}

/** Every run of up to six consecutive plain words: the keys a glossary term could match. */
export function candidateKeys(q: string): string[] {
  const keys = new Set<string>()
  for (const run of plainRuns(tokenize(q))) {
    const words = run.flatMap((t) => t.words)
    for (let i = 0; i < words.length; i++)
      for (let n = 1; n <= LONGEST && i + n <= words.length; n++)
        keys.add(words.slice(i, i + n).join(' '))
  }
  return [...keys]
}

function plainRuns(tokens: Token[]): Token[][] {
  const runs: Token[][] = [[]]
  for (const token of tokens) {
    if (token.plain) runs[runs.length - 1]?.push(token)
    else runs.push([])
  }
  return runs.filter((r) => r.length > 0)
}

/**
 * Reads the query against the glossary: each longest run of words that is a term's name,
 * synonym or abbreviation is replaced by all of them (any one may match); identifiers the
 * person typed are split as the documents are. Quoted phrases and exclusions stay as typed.
 *
 * @example readQuery('NRIC holders', [{ term: 'NRIC/FIN', keys: ['nric fin', 'nric', 'fin'] }])
 *   // { rest: 'holders', terms: [{ term: 'NRIC/FIN', phrases: ['nric fin', 'nric', 'fin'] }] }
 */
export function readQuery(q: string, meanings: readonly TermMeaning[]): ReadQuery {
  const byKey = new Map<string, TermMeaning>()
  for (const meaning of meanings) for (const key of meaning.keys) byKey.set(key, meaning)
  // A phrase that is one term's name and another's synonym means the term it names.
  for (const meaning of meanings) if (meaning.keys[0]) byKey.set(meaning.keys[0], meaning)
  const tokens = tokenize(q)
  const used = new Set<string>()
  const terms: ReadQuery['terms'] = []
  /** Words consumed by a term, by token index and word index. */
  const consumed = new Set<string>()
  let start = 0
  for (const run of plainRuns(tokens)) {
    const first = tokens.indexOf(run[0] as Token, start)
    start = first + run.length
    const words = run.flatMap((t, i) => t.words.map((w, j) => ({ w, at: `${first + i}:${j}` })))
    for (let i = 0; i < words.length; ) {
      let n = Math.min(LONGEST, words.length - i)
      for (; n > 0; n--) {
        const meaning = byKey.get(
          words
            .slice(i, i + n)
            .map((x) => x.w)
            .join(' '),
        )
        if (!meaning) continue
        for (const x of words.slice(i, i + n)) consumed.add(x.at)
        if (!used.has(meaning.term)) {
          used.add(meaning.term)
          terms.push({ term: meaning.term, phrases: [...new Set(meaning.keys)] })
        }
        break
      }
      i += Math.max(n, 1)
    }
  }
  const rest = tokens.flatMap((token, i) => {
    if (!token.plain) {
      const excluded = token.text.slice(1)
      const splits =
        token.text.startsWith('-') && !excluded.startsWith('"') && isIdentifier(excluded)
      return [splits ? `-"${splitIdentifiers(excluded)}"` : token.text]
    }
    const left = token.words.filter((_, j) => !consumed.has(`${i}:${j}`))
    if (token.words.length > 0 && left.length < token.words.length) return left
    return isIdentifier(token.text) ? [`"${splitIdentifiers(token.text)}"`] : [token.text]
  })
  return { rest: rest.join(' '), terms }
}
