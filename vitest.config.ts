import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

// Every module's tests, wherever the README's module table puts the module; the system tests
// and the portal have projects of their own.
const NOT_SERVER = ['portal/**', 'tests/system/**', 'tools/**', '**/node_modules/**', '**/dist/**']

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // A platform boots in seconds, but in minutes on a busy two-core machine with every project running.
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['**/*.test.ts'],
          exclude: NOT_SERVER,
          // One throwaway PostgreSQL server for the run; every database test also runs on it.
          globalSetup: ['./vitest.global-setup.ts', './testing/runtime-templates.ts'],
        },
      },
      {
        // Whole platforms as separate processes, killed mid-work, and Chromium driving the portal.
        extends: true,
        test: {
          name: 'system',
          environment: 'node',
          include: ['tests/system/**/*.test.ts'],
          globalSetup: ['./vitest.global-setup.ts', './testing/runtime-templates.ts'],
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'portal',
          environment: 'jsdom',
          include: ['portal/src/**/*.test.{ts,tsx}'],
          setupFiles: ['portal/src/test-setup.ts'],
          globalSetup: ['./testing/runtime-templates.ts'],
        },
      },
    ],
  },
})
