import { describe, expect, it } from 'vitest'
import { BADGE_COLOURS, TEXT_ON_FILL } from './graph-colours.js'

/** WCAG 2.1's contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    }) as [number, number, number]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

describe("the lineage graph's colours", () => {
  it('measures contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21)
    // Mantine's default dimmed grey on white, which the theme replaces.
    expect(contrast('#868e96', '#ffffff')).toBeCloseTo(3.32, 1)
  })

  it('keeps every text at AA contrast (4.5:1) on every fill it is drawn on, badges too', () => {
    const below = TEXT_ON_FILL.filter(([text, fill]) => contrast(text, fill) < 4.5).map(
      ([text, fill]) => `${text} on ${fill}: ${contrast(text, fill).toFixed(2)}`,
    )
    expect(below).toEqual([])
    expect(TEXT_ON_FILL).toContainEqual([
      BADGE_COLOURS.neutral.color,
      BADGE_COLOURS.neutral.background,
    ])
  })
})
