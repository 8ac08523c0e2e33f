// jsdom lays nothing out, so text ranges have no rectangles; the SQL editor (CodeMirror) measures
// them. Empty rectangles are the honest answer for a page that is never drawn.
const empty = { x: 0, y: 0, width: 0, height: 0, top: 0, right: 0, bottom: 0, left: 0 }
if (typeof Range !== 'undefined' && !Range.prototype.getClientRects) {
  Range.prototype.getClientRects = () =>
    Object.assign([], { item: () => null }) as unknown as DOMRectList
  Range.prototype.getBoundingClientRect = () => ({ ...empty, toJSON: () => empty }) as DOMRect
}

// Mantine asks the window about media queries and element sizes; jsdom has neither. A page that is
// never drawn matches no media query and has no size.
if (typeof window !== 'undefined') {
  window.matchMedia ??= (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Element.prototype.scrollIntoView ??= () => {}
}

// Pages are loaded on first visit (route-level code splitting), and on a busy two-core machine
// the first import of a page in a test can take longer than testing-library's default of 1 s.
// Waiting longer makes no test pass that should fail: a missing element still fails, later.
import { configure } from '@testing-library/dom'
import { setCsrfToken } from './lib/api-client.js'

configure({ asyncUtilTimeout: 15_000 })

// Test files share their worker's modules (vitest.config.ts), and this file runs before each: a
// page in a browser tab starts with no session, so each file does too.
setCsrfToken(undefined)
