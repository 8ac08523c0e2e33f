import type { TestProject } from 'vitest/node'
import { startThrowawayPostgres } from './testing/index.js'
import { shareByProjects } from './testing/shared-by-projects.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server the database tests create their databases on. */
    postgresUrl: string
  }
}

/**
 * Starts a real, throwaway PostgreSQL server for the test run (one for all its projects), so
 * every database test also runs on it. Set TEST_DATABASE_URL to use a server of your own instead
 * (CI does).
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL
  if (external) {
    project.provide('postgresUrl', external)
    return
  }
  const server = await shareByProjects('postgres', async () => {
    const started = await startThrowawayPostgres()
    return { value: started.url, stop: () => started.stop() }
  })
  project.provide('postgresUrl', server.value)
  return () => server.release()
}
