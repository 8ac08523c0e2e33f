import { NumberInput, SimpleGrid, Textarea, TextInput } from '@mantine/core'
import { LIMITS, type RequestDraft, type RequestProblems } from './request-draft.js'

/**
 * The terms of a request: why, under which law, for how long, for which project and with which
 * partner agencies. Each field has the id `${ids}-<field>`, so the first problem can take the focus.
 */
export function RequestTerms({
  ids,
  draft,
  set,
  shown,
  amending = false,
}: {
  ids: string
  draft: RequestDraft
  set: <K extends keyof RequestDraft>(key: K, value: RequestDraft[K]) => void
  shown: RequestProblems
  /** An amendment keeps the project it was asked for: its fields are not offered. */
  amending?: boolean
}) {
  return (
    <>
      <Textarea
        id={`${ids}-purpose`}
        label="Purpose"
        description={`What the data is for and who will use it (at least ${LIMITS.purpose} characters).`}
        value={draft.purpose}
        onChange={(e) => set('purpose', e.currentTarget.value)}
        rows={3}
        maxLength={2000}
        required
        withAsterisk={false}
        error={shown.purpose}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          id={`${ids}-legalBasis`}
          label="Legal basis"
          description="The law or agreement that allows this use."
          placeholder="e.g. Public Sector (Governance) Act 2018, s. 25"
          value={draft.legalBasis}
          onChange={(e) => set('legalBasis', e.currentTarget.value)}
          required
          withAsterisk={false}
          error={shown.legalBasis}
        />
        <NumberInput
          id={`${ids}-durationDays`}
          label="Duration (days)"
          description={`How long you need access, up to ${LIMITS.maxDays} days.`}
          value={draft.durationDays}
          onChange={(value) => set('durationDays', value)}
          min={1}
          max={LIMITS.maxDays}
          allowDecimal={false}
          allowNegative={false}
          required
          withAsterisk={false}
          error={shown.durationDays}
        />
        {!amending && <ProjectFields ids={ids} draft={draft} set={set} shown={shown} />}
      </SimpleGrid>
    </>
  )
}

function ProjectFields({
  ids,
  draft,
  set,
  shown,
}: {
  ids: string
  draft: RequestDraft
  set: <K extends keyof RequestDraft>(key: K, value: RequestDraft[K]) => void
  shown: RequestProblems
}) {
  return (
    <>
      <TextInput
        id={`${ids}-project`}
        label="Project (optional)"
        value={draft.project}
        onChange={(e) => set('project', e.currentTarget.value)}
        error={shown.project}
      />
      <TextInput
        id={`${ids}-partners`}
        label="Partner agencies (optional)"
        description="Separate agencies with commas."
        placeholder="e.g. MOE, HDB"
        value={draft.partners}
        onChange={(e) => set('partners', e.currentTarget.value)}
        error={shown.partners}
      />
    </>
  )
}
