import { type CSSVariablesResolver, createTheme, type MantineColorsTuple } from '@mantine/core'

/** The portal's blue, from light to dark; shade 7 on white passes WCAG AA for text (7.9:1). */
const govBlue: MantineColorsTuple = [
  '#e7f1fa',
  '#cde0f1',
  '#9cc0e4',
  '#679dd6',
  '#3d80ca',
  '#236dc2',
  '#1261b0',
  '#0b4f8a',
  '#07426f',
  '#033457',
]

/**
 * One theme for the whole portal. Colours are chosen for contrast (WCAG 2.1 AA): the primary
 * shade is the dark end of the blue, and dimmed text is a grey that keeps 4.5:1 on white.
 */
export const theme = createTheme({
  primaryColor: 'govBlue',
  primaryShade: 7,
  colors: { govBlue },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
  defaultRadius: 'sm',
  focusRing: 'auto',
  components: {
    // Links are underlined, so they stand out from text by more than colour (WCAG 1.4.1).
    Anchor: { defaultProps: { underline: 'always' } },
    Table: { defaultProps: { verticalSpacing: 'xs', striped: false, highlightOnHover: true } },
    // Mantine's close button is an icon alone: every dialog and drawer names it for a screen reader.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
  },
  other: { dimmedText: '#55606e' },
})

/**
 * Mantine's default dimmed grey (#868e96) is 3.3:1 on white, below AA for text: ours keeps 6.4:1.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#55606e', '--mantine-color-placeholder': '#6b7480' },
  dark: {},
})
