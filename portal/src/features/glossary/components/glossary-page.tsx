import {
  Anchor,
  Button,
  Code,
  Group,
  List,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { useMe } from '../../../lib/use-me.js'
import { type GlossaryEntryInfo, useGlossary } from '../api/use-glossary.js'
import { TermForm } from './term-form.js'

/** `editing` holds the term being edited, or this for a new one. */
const NEW = '\u0000new'

/**
 * The business glossary: what each term means and which datasets' columns carry it. `?q=` fills
 * the filter, so a dataset page can link straight to a term.
 */
export function GlossaryPage() {
  const glossary = useGlossary()
  const me = useMe()
  const [params] = useSearchParams()
  // Shown to those the API lets keep the glossary; the API checks again on every change.
  const curator = ['steward', 'admin'].some((r) => me.data?.user.roles.includes(r as never))
  const [editing, setEditing] = useState<string | undefined>()
  const [filter, setFilter] = useState(params.get('q') ?? '')
  const needle = filter.trim().toLowerCase()
  const terms = (glossary.data ?? []).filter(
    (t) =>
      !needle ||
      [t.term, t.definition, ...t.synonyms, ...t.abbreviations].some((text) =>
        text.toLowerCase().includes(needle),
      ),
  )
  return (
    <Stack component="section" aria-labelledby="glossary-heading" gap="md">
      <div>
        <Title order={1} id="glossary-heading">
          Business glossary
        </Title>
        <Text c="dimmed" maw="48rem">
          Shared meanings for the fields agencies exchange. Stewards link terms to their datasets'
          columns, so the same idea is found under the same word everywhere.
        </Text>
      </div>
      {curator && editing === NEW && <TermForm onDone={() => setEditing(undefined)} />}
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label="Filter terms"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          placeholder="e.g. postal"
          style={{ flex: '1 1 14rem', maxWidth: '24rem' }}
        />
        {curator && editing !== NEW && (
          <Button type="button" onClick={() => setEditing(NEW)}>
            New term
          </Button>
        )}
      </Group>
      {glossary.isPending ? (
        <Loading label="Loading the glossary…" />
      ) : glossary.isError ? (
        <ErrorState title="The glossary could not be loaded" error={glossary.error} />
      ) : terms.length === 0 ? (
        <EmptyState title={needle ? `No term matches “${filter.trim()}”` : 'No terms yet'}>
          {needle ? 'Try a shorter word.' : 'Stewards add terms as they describe their datasets.'}
        </EmptyState>
      ) : (
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
          {terms.map((t) => (
            <li key={t.term}>
              {editing === t.term ? (
                <TermForm term={t} onDone={() => setEditing(undefined)} />
              ) : (
                <Term term={t} onEdit={curator ? () => setEditing(t.term) : undefined} />
              )}
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  )
}

/** The term's other names: search finds its columns by each of them. */
function AlsoKnownAs({ term: t }: { term: GlossaryEntryInfo }) {
  const names: [string, string[]][] = [
    ['Abbreviations', t.abbreviations],
    ['Synonyms', t.synonyms],
  ]
  if (names.every(([, values]) => values.length === 0)) return null
  return (
    <Group component="dl" gap="lg" m={0} wrap="wrap">
      {names.map(([label, values]) =>
        values.length === 0 ? null : (
          <Group key={label} gap={6} wrap="nowrap" align="baseline">
            <Text component="dt" size="sm" c="dimmed">
              {label}
            </Text>
            <Text component="dd" size="sm" m={0}>
              {values.join(', ')}
            </Text>
          </Group>
        ),
      )}
    </Group>
  )
}

function Term({ term: t, onEdit }: { term: GlossaryEntryInfo; onEdit?: () => void }) {
  return (
    <Paper component="article" aria-label={t.term} withBorder p="md">
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="sm" wrap="nowrap">
          <Title order={2} size="h4">
            {t.term}
          </Title>
          {onEdit && (
            <Button
              type="button"
              variant="default"
              size="xs"
              onClick={onEdit}
              aria-label={`Edit ${t.term}`}
            >
              Edit
            </Button>
          )}
        </Group>
        <Text>{t.definition}</Text>
        <AlsoKnownAs term={t} />
        {t.columns.length === 0 ? (
          <Text size="sm" c="dimmed">
            Not linked to any dataset you can see.
          </Text>
        ) : (
          <List size="sm" spacing={2} aria-label={`Columns described by ${t.term}`}>
            {t.columns.map((col) => (
              <List.Item key={`${col.dataset}.${col.column}`}>
                <Anchor component={Link} to={`/datasets/${col.dataset}`}>
                  {col.dataset}
                </Anchor>{' '}
                <Code>{col.column}</Code>
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Paper>
  )
}
