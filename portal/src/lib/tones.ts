/**
 * Colours that carry a tone and keep 4.5:1 (WCAG AA) as text on their own light tint, as an
 * Alert's title is drawn: Mantine's green (3.8:1) and yellow (2.7:1) do not. The words always
 * carry the meaning; the colour only repeats it.
 */
export const TONE = {
  /** Done, granted, saved. */
  good: '#1e6b34',
  /** Worth knowing before going on. */
  warn: '#7a4a00',
  /** Refused, revoked, overdue. */
  bad: '#a51d1d',
  info: 'govBlue',
  neutral: 'gray',
} as const
