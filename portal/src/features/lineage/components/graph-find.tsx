import { Button, Group, Text, TextInput } from '@mantine/core'
import { type FormEvent, useMemo, useState } from 'react'
import type { LineageNode } from '../api/use-lineage.js'

/**
 * "Find in graph": the nodes whose namespace or name contain the text, in name order, and a way
 * to go to each in turn (`onFound` brings it into view and selects it).
 */
export function useFindInGraph(nodes: LineageNode[], onFound: (node: LineageNode) => void) {
  const [text, setText] = useState('')
  const [foundAt, setFoundAt] = useState(-1)
  const matches = useMemo(() => {
    const wanted = text.trim().toLowerCase()
    if (!wanted) return []
    return nodes
      .filter((n) => `${n.data.namespace} ${n.data.name}`.toLowerCase().includes(wanted))
      .sort((a, b) => a.data.name.localeCompare(b.data.name))
  }, [nodes, text])
  const matched = useMemo(() => new Set(matches.map((m) => m.id)), [matches])
  return {
    text,
    foundAt,
    matches,
    matched,
    change(next: string) {
      setText(next)
      setFoundAt(-1)
    },
    next() {
      if (matches.length === 0) return
      const index = (foundAt + 1) % matches.length
      setFoundAt(index)
      onFound(matches[index] as LineageNode)
    },
  }
}

/** The find box, its button ("Find", then "Next") and how many matched, said to screen readers. */
export function FindInGraph({ finder }: { finder: ReturnType<typeof useFindInGraph> }) {
  const { text, foundAt, matches } = finder
  const submit = (event: FormEvent) => {
    event.preventDefault()
    finder.next()
  }
  return (
    <>
      <form onSubmit={submit}>
        <Group gap={6} wrap="nowrap">
          <TextInput
            type="search"
            size="sm"
            aria-label="Find a node in the graph"
            placeholder="Find in graph"
            value={text}
            onChange={(event) => finder.change(event.currentTarget.value)}
          />
          <Button
            type="submit"
            size="sm"
            variant="default"
            disabled={matches.length === 0}
            aria-label={foundAt >= 0 ? 'Next match in the graph' : 'Find in the graph'}
          >
            {foundAt >= 0 ? 'Next' : 'Find'}
          </Button>
        </Group>
      </form>
      <Text size="sm" c="dimmed" aria-live="polite">
        {!text.trim()
          ? ''
          : matches.length === 0
            ? 'no match'
            : foundAt >= 0
              ? `${foundAt + 1} of ${matches.length}`
              : `${matches.length} ${matches.length === 1 ? 'match' : 'matches'}`}
      </Text>
    </>
  )
}
