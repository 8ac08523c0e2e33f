import { Button, CopyButton } from '@mantine/core'

/** Copies the portal's full address of a path, saying when it has. */
export function CopyLinkButton({ path }: { path: string }) {
  return (
    <CopyButton value={new URL(path, window.location.origin).href}>
      {({ copied, copy }) => (
        <Button variant="default" size="xs" onClick={copy} aria-live="polite">
          {copied ? 'Link copied' : 'Copy link'}
        </Button>
      )}
    </CopyButton>
  )
}
