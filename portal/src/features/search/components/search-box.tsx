import { Button, Combobox, Group, Text, TextInput, useCombobox } from '@mantine/core'
import type { FormEvent } from 'react'
import { type SearchSuggestion, useSuggestions } from '../api/use-suggestions.js'

const GROUPS: { kind: SearchSuggestion['kind']; title: string; one: string }[] = [
  { kind: 'dataset', title: 'Datasets', one: 'dataset' },
  { kind: 'column', title: 'Columns', one: 'column' },
  { kind: 'term', title: 'Glossary terms', one: 'glossary term' },
  { kind: 'agency', title: 'Agencies', one: 'agency' },
]

/** What an option says besides its label: a column's dataset, a term's matched name, a code. */
function detailOf(suggestion: SearchSuggestion): string | undefined {
  if (suggestion.kind === 'column') return `in ${suggestion.dataset?.title ?? ''}`
  if (suggestion.kind === 'term' && suggestion.matched) return `also “${suggestion.matched}”`
  if (suggestion.kind === 'agency') return suggestion.agency ?? undefined
  return undefined
}

/**
 * The search words, with suggestions as one types: a combobox (arrow keys move through the
 * options, Enter chooses one, Escape closes the list; with no option chosen, Enter searches).
 */
export function SearchBox({
  text,
  onText,
  onSearch,
  onChoose,
}: {
  text: string
  onText: (text: string) => void
  onSearch: () => void
  onChoose: (suggestion: SearchSuggestion) => void
}) {
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() })
  const suggestions = useSuggestions(text)
  const options = text.trim().length >= 2 ? (suggestions.data ?? []) : []
  const submit = (event: FormEvent) => {
    event.preventDefault()
    combobox.closeDropdown()
    onSearch()
  }
  return (
    <search>
      <form onSubmit={submit}>
        <Group align="flex-end" gap="sm" wrap="nowrap">
          <Combobox
            store={combobox}
            // Kept open while the box scrolls out of view: the list belongs to what is typed.
            hideDetached={false}
            onOptionSubmit={(value) => {
              const chosen = options[Number(value)]
              combobox.closeDropdown()
              if (chosen) onChoose(chosen)
            }}
          >
            <Combobox.Target withExpandedAttribute>
              <TextInput
                label="Search datasets"
                type="search"
                role="combobox"
                aria-autocomplete="list"
                autoComplete="off"
                value={text}
                onChange={(e) => {
                  onText(e.currentTarget.value)
                  combobox.openDropdown()
                  combobox.updateSelectedOptionIndex()
                }}
                onFocus={() => combobox.openDropdown()}
                onBlur={() => combobox.closeDropdown()}
                placeholder="e.g. NRIC, home address, postal code, rainfall"
                style={{ flex: 1, minWidth: 0 }}
              />
            </Combobox.Target>
            <Combobox.Dropdown hidden={options.length === 0}>
              <Combobox.Options aria-label="Suggestions">
                {GROUPS.map(({ kind, title, one }) => {
                  const inGroup = options
                    .map((suggestion, index) => ({ suggestion, index }))
                    .filter(({ suggestion }) => suggestion.kind === kind)
                  if (inGroup.length === 0) return null
                  return (
                    <Combobox.Group key={kind} label={title}>
                      {inGroup.map(({ suggestion, index }) => {
                        const detail = detailOf(suggestion)
                        return (
                          <Combobox.Option
                            key={index}
                            value={String(index)}
                            // What is seen, then the kind, which the group's heading shows.
                            aria-label={`${suggestion.label}${detail ? ` ${detail}` : ''} (${one})`}
                          >
                            <Text size="sm" component="span">
                              {suggestion.label}
                            </Text>
                            {detail && ' '}
                            {detail && (
                              <Text size="xs" c="dimmed" component="span">
                                {detail}
                              </Text>
                            )}
                          </Combobox.Option>
                        )
                      })}
                    </Combobox.Group>
                  )
                })}
              </Combobox.Options>
            </Combobox.Dropdown>
          </Combobox>
          <Button type="submit">Search</Button>
        </Group>
      </form>
    </search>
  )
}
