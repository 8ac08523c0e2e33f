import { Button, Group, NativeSelect, Stack, TextInput } from '@mantine/core'
import { type FormEvent, useId, useState } from 'react'
import { focusFirstProblem } from '../../../lib/focus-first-problem.js'
import type { ParameterInfo } from '../api/use-saved-queries.js'
import { problemWith } from './sql-parameters.js'

const TYPE_LABELS: Record<ParameterInfo['type'], string> = {
  text: 'text',
  integer: 'whole number',
  number: 'number',
  date: 'date',
}

/** One field per parameter, typed (a date picker for dates, a list where choices are set). */
function ParameterField({
  parameter,
  id,
  value,
  problem,
  onChange,
}: {
  parameter: ParameterInfo
  id: string
  value: string
  problem: string | undefined
  onChange: (value: string) => void
}) {
  const label = `${parameter.name} (${TYPE_LABELS[parameter.type]})`
  if (parameter.choices)
    return (
      <NativeSelect
        id={id}
        label={label}
        data={parameter.choices}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    )
  return (
    <TextInput
      id={id}
      label={label}
      type={parameter.type === 'date' ? 'date' : 'text'}
      inputMode={
        parameter.type === 'integer'
          ? 'numeric'
          : parameter.type === 'number'
            ? 'decimal'
            : undefined
      }
      value={value}
      error={problem}
      onChange={(e) => onChange(e.currentTarget.value)}
      maxLength={1_000}
    />
  )
}

/**
 * The values a saved query runs with, one typed field per parameter, checked before they are
 * sent (the server checks them again): a missing or ill-typed value is said at its field, which
 * takes the focus.
 */
export function ParameterForm({
  parameters,
  running,
  onRun,
}: {
  parameters: readonly ParameterInfo[]
  running: boolean
  onRun: (values: Record<string, string>) => void
}) {
  const formId = useId()
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(parameters.map((p) => [p.name, p.choices?.[0] ?? ''])),
  )
  const [problems, setProblems] = useState<Record<string, string>>({})

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const found = Object.fromEntries(
      parameters.flatMap((p) => {
        const problem = problemWith(p.type, values[p.name] ?? '')
        return problem ? [[p.name, problem]] : []
      }),
    )
    setProblems(found)
    if (!focusFirstProblem(formId, found)) onRun(values)
  }

  return (
    <form onSubmit={submit} aria-label="Parameters of the query" noValidate>
      <Stack gap="sm" maw="28rem">
        {parameters.map((p) => (
          <ParameterField
            key={p.name}
            parameter={p}
            id={`${formId}-${p.name}`}
            value={values[p.name] ?? ''}
            problem={problems[p.name]}
            onChange={(value) => setValues((current) => ({ ...current, [p.name]: value }))}
          />
        ))}
        <Group>
          <Button type="submit" loading={running}>
            Run
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
