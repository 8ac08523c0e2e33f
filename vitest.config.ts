import { availableParallelism } from 'node:os'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

// Every module's tests, wherever the README's module table puts the module; the system tests
// and the portal have projects of their own.
const NOT_SERVER = ['portal/**', 'tests/system/**', 'tools/**', '**/node_modules/**', '**/dist/**']

// Vitest runs one file at a time on two cores by default (cores − 1), but our files spend much of
// their time waiting: on PostgreSQL, on query workers and replicas (processes of their own), on
// Chromium. Half again as many files as cores keeps both cores busy.
const WORKERS = Math.max(2, Math.ceil(availableParallelism() * 1.5))

export default defineConfig({
  test: {
    maxWorkers: WORKERS,
    testTimeout: 60_000,
    // A platform boots in seconds, but in minutes on a busy two-core machine with every project running.
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          // Files share their worker's modules instead of importing the platform again each
          // (a third of the project's CPU time); each file still opens platforms of its own.
          isolate: false,
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
          // A journey in Chromium is a dozen pages; with every project running beside it on a
          // busy two-core machine it can take minutes (each step still waits at most 30 s).
          testTimeout: 180_000,
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
          // Files share their worker's modules, as the server project's do; the setup file clears
          // the one piece of page-wide state a module keeps (the session's CSRF token), so no
          // file hands its session to the next.
          isolate: false,
          include: ['portal/src/**/*.test.{ts,tsx}'],
          setupFiles: ['portal/src/test-setup.ts'],
          // The run's PostgreSQL server is shared by its projects: naming it here only lets the
          // run's templates be removed whichever project ends last.
          globalSetup: ['./vitest.global-setup.ts', './testing/runtime-templates.ts'],
        },
      },
    ],
  },
})
