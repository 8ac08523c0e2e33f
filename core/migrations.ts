import type { Kysely } from 'kysely'
import { type Migration, Migrator } from 'kysely/migration'
import { AppError } from './errors.js'

export type { Migration }

/** One module's migrations, keyed by `YYYYMMDD-NN-<module>-<what>` so that names sort by age. */
export interface MigrationSet {
  module: string
  /**
   * The module these migrations were written in before this one was cut from it: their names
   * keep that module's, since a database records every migration applied by name.
   */
  formerly?: string
  migrations: Readonly<Record<string, Migration>>
}

/** A migration could not be applied; the message names it. */
export class MigrationFailedError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super('internal', message, options)
  }
}

const NAME = /^(\d{8})-(\d{2})-([a-z][a-z-]*)$/

/**
 * Collects every module's migrations into one ordered list. Names carry their date so that a
 * migration added later to a lower module still runs after the ones already applied elsewhere.
 */
export function collectMigrations(sets: readonly MigrationSet[]): Record<string, Migration> {
  const all: Record<string, Migration> = {}
  for (const set of sets) {
    for (const [name, migration] of Object.entries(set.migrations)) {
      const match = NAME.exec(name)
      const owners = [set.module, set.formerly].filter((m) => m !== undefined)
      if (!owners.some((owner) => match?.[3]?.startsWith(`${owner}-`))) {
        throw new MigrationFailedError(
          `Migration '${name}' of module '${set.module}' must be named YYYYMMDD-NN-${set.module}-<what>`,
        )
      }
      if (name in all) throw new MigrationFailedError(`Migration '${name}' is declared twice`)
      all[name] = migration
    }
  }
  return all
}

/**
 * Brings the database schema up to date with every module's migrations, in name order. Safe to
 * run from several processes at once: Kysely holds a lock while migrating.
 * @returns the names of the migrations this call applied.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  sets: readonly MigrationSet[],
): Promise<string[]> {
  const migrations = collectMigrations(sets)
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  })
  const { error, results = [] } = await migrator.migrateToLatest()
  if (error) {
    const failed = results.find((result) => result.status === 'Error')
    const which = failed ? `Migration '${failed.migrationName}' failed` : 'Migrating failed'
    throw new MigrationFailedError(
      `${which}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
