import { Anchor, Box, Group, SimpleGrid, Text, UnstyledButton } from '@mantine/core'
import { useDisclosure, useElementSize } from '@mantine/hooks'
import { type ReactNode, useEffect, useId } from 'react'

/** The masthead's bar, closed: what the header adds above the portal's own (px). */
export const MASTHEAD_HEIGHT = 28

/** SGDS's masthead colours: dark grey on light grey (8:1), the crest in the government's red. */
const BAR = '#f0f0f0'
const INK = '#484848'
const CREST_RED = '#db0000'

/**
 * The Singapore Government masthead (Singapore Government Design System) at the very top of
 * every page: the crest, "A Singapore Government Agency Website", and "How to identify", a
 * button that opens how to tell an official, secure government website. Drawn here, with its
 * marks inline, since the product runs offline and no SGDS package is installed. Reports its
 * height (it grows when opened) so the fixed header above the page makes room for it.
 */
export function Masthead({ onHeightChange }: { onHeightChange?: (height: number) => void }) {
  const [opened, { toggle }] = useDisclosure(false)
  const panelId = useId()
  const { ref, height } = useElementSize()
  useEffect(() => {
    if (height > 0) onHeightChange?.(Math.ceil(height))
  }, [height, onHeightChange])
  return (
    <Box ref={ref} bg={BAR} c={INK} fz={{ base: 12, sm: 14 }}>
      <Group mih={MASTHEAD_HEIGHT} gap={6} px="md" py={2} wrap="wrap">
        <CrestMark />
        <Text span inherit lh={1.4}>
          A Singapore Government Agency Website
        </Text>
        <UnstyledButton
          onClick={toggle}
          aria-expanded={opened}
          aria-controls={panelId}
          c="govBlue.7"
          fz="inherit"
          td="underline"
          lh={1.4}
        >
          How to identify
          <Chevron up={opened} />
        </UnstyledButton>
      </Group>
      <Box id={panelId} hidden={!opened} px="md" pt="xs" pb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" maw="64rem">
          <Explanation icon={<BuildingIcon />} title="Official website links end with .gov.sg">
            Government agencies communicate through .gov.sg websites (for example go.gov.sg/open).{' '}
            <Anchor href="https://www.gov.sg/trusted-sites#govsites" inherit c="govBlue.7">
              Trusted websites
            </Anchor>
          </Explanation>
          <Explanation icon={<LockIcon />} title="Secure websites use HTTPS">
            Look for a lock (<LockIcon inline label="a padlock" />) or https:// as an added
            precaution. Share sensitive information only on official, secure websites.
          </Explanation>
        </SimpleGrid>
      </Box>
    </Box>
  )
}

function Explanation({
  icon,
  title,
  children,
}: {
  icon: ReactNode
  title: string
  children: ReactNode
}) {
  return (
    <Group align="flex-start" gap="sm" wrap="nowrap">
      {icon}
      <div>
        <Text inherit fw={700} mb={4}>
          {title}
        </Text>
        <Text inherit>{children}</Text>
      </div>
    </Group>
  )
}

/** A lion's head in the government's red, after the crest: a mark, not the crest's artwork. */
function CrestMark() {
  return (
    <svg width="16" height="16" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path
        fill={CREST_RED}
        d="M20 3c-4 0-7.5 2-9.3 5.2C7.4 9 5 11.8 5 15.3c0 2 .8 3.8 2 5.1L5.3 24l3.9-.9c.9.5 1.9.8 3 .9l1.6 3.8 2.1-3.1c1.2.3 2.5.3 3.7 0l2.9 2.9.6-4.3c3.4-1.8 5.7-5.4 5.7-9.5C28.8 8.1 24.9 3 20 3z"
      />
      <circle cx="13" cy="13.5" r="1.6" fill="#ffffff" />
      <path d="M9 19.5c1.6.8 3.3.9 5 .2" stroke="#ffffff" strokeWidth="1.4" fill="none" />
    </svg>
  )
}

function Chevron({ up }: { up: boolean }) {
  return (
    <svg
      width="12"
      height="12"
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      style={{
        marginLeft: 4,
        verticalAlign: 'middle',
        transform: up ? 'rotate(180deg)' : undefined,
      }}
    >
      <path d="M6 9l6 6 6-6" stroke="currentColor" strokeWidth="2.5" fill="none" />
    </svg>
  )
}

function BuildingIcon() {
  return (
    <svg
      width="24"
      height="24"
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      style={{ flexShrink: 0 }}
    >
      <path
        fill={INK}
        d="M12 2 2 7v2h20V7L12 2zM5 11v7h3v-7H5zm5.5 0v7h3v-7h-3zM16 11v7h3v-7h-3zM2 20v2h20v-2H2z"
      />
    </svg>
  )
}

function LockIcon({ inline = false, label }: { inline?: boolean; label?: string }) {
  const size = inline ? 12 : 24
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      focusable="false"
      style={inline ? { verticalAlign: 'baseline' } : { flexShrink: 0 }}
    >
      <path
        fill={INK}
        d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5zM9 10V7a3 3 0 0 1 6 0v3H9z"
      />
    </svg>
  )
}
