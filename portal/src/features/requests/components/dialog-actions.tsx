import { Button, Group } from '@mantine/core'

/** Cancel and confirm, confirm last: the order a keyboard reaches them in. */
export function DialogActions({
  submit,
  danger = false,
  pending,
  onCancel,
}: {
  submit: string
  danger?: boolean
  pending: boolean
  onCancel: () => void
}) {
  return (
    <Group justify="flex-end" gap="sm" wrap="wrap">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" color={danger ? 'red.9' : undefined} loading={pending}>
        {submit}
      </Button>
    </Group>
  )
}
