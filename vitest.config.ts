import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

const SERVER_MODULES = [
  'core',
  'text',
  'keys',
  'routing',
  'reference',
  'identity',
  'audit',
  'fixtures',
  'disclosure',
  'lineage',
  'catalog',
  'notifications',
  'access',
  'trusted-centre',
  'query-service',
  'kpi',
  'server',
  'testing',
  'bench',
  'tests/invariants',
]

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: SERVER_MODULES.map((dir) => `${dir}/**/*.test.ts`),
          // One throwaway PostgreSQL server for the run; every database test also runs on it.
          globalSetup: ['./vitest.global-setup.ts'],
        },
      },
      {
        // Whole platforms as separate processes, killed mid-work, and Chromium driving the portal.
        extends: true,
        test: {
          name: 'system',
          environment: 'node',
          include: ['tests/system/**/*.test.ts'],
          globalSetup: ['./vitest.global-setup.ts'],
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
        },
      },
    ],
  },
})
