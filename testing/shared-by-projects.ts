/** A resource of the test run's, as its projects' global setups hold it. */
interface Shared<T> {
  started: Promise<{ value: T; stop(): Promise<void> }>
  holders: number
}

/**
 * A resource the run's Vitest projects share instead of each starting its own (a PostgreSQL
 * server, a directory of loaded templates): the first project's global setup starts it, and the
 * last project's teardown stops it. Vitest runs every project's global setup and teardown in its
 * own main process, each project with its own copy of the setup module, so the resource is kept
 * on the process's global object under a name of the run's.
 * @example const { value: url, release } = await shareByProjects('postgres', startServer)
 */
export async function shareByProjects<T>(
  name: string,
  start: () => Promise<{ value: T; stop(): Promise<void> }>,
): Promise<{ value: T; release(): Promise<void> }> {
  const registry = globalThis as unknown as Record<symbol, Shared<T> | undefined>
  const key = Symbol.for(`gov-data-portal.test-run.${name}`)
  registry[key] ??= { started: start(), holders: 0 }
  const shared = registry[key]
  shared.holders += 1
  const { value, stop } = await shared.started
  let released = false
  return {
    value,
    async release() {
      if (released) return
      released = true
      shared.holders -= 1
      if (shared.holders > 0) return
      registry[key] = undefined
      await stop()
    },
  }
}
