import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { systemAbility } from '../core/index.js'
import {
  FIXTURE_AGENCIES,
  FIXTURE_GLOSSARY,
  FIXTURE_GLOSSARY_LINKS,
  FIXTURE_USERS,
  generateFixtures,
  MANIFEST_FILE,
} from '../fixtures/index.js'
import { dataLayout } from '../trusted-centre/index.js'
import type { Runtime } from './runtime.js'

/**
 * Brings the data directory up to date: generates the synthetic feeds if it has none (when
 * enabled), ingests whatever is in the inbox (repeats are no-ops) and runs every pipeline
 * (unchanged results publish nothing). Running it twice changes nothing the second time.
 */
export async function loadData(runtime: Runtime): Promise<void> {
  const { config, log, trustedCentre } = runtime
  const inbox = join(config.DATA_DIR, dataLayout.inbox())
  if (config.SEED_FIXTURES || config.DEV_SIGN_IN) {
    // The fixture story's agencies and people, so the development sign-in has someone to offer.
    await runtime.auth.users.saveAgencies(FIXTURE_AGENCIES)
    await runtime.auth.users.saveUsers(FIXTURE_USERS)
  }
  if (config.SEED_FIXTURES && !existsSync(join(inbox, MANIFEST_FILE))) {
    log.info(
      { seed: config.FIXTURE_SEED, scale: config.FIXTURE_SCALE, inbox },
      'generating synthetic feeds',
    )
    const manifest = await generateFixtures({
      directory: inbox,
      seed: config.FIXTURE_SEED,
      scale: config.FIXTURE_SCALE,
    })
    log.info({ feeds: manifest.feeds, defects: manifest.defects.length }, 'synthetic feeds written')
  }
  if (!existsSync(inbox)) {
    log.info({ inbox }, 'inbox is empty: nothing to ingest')
    return
  }
  for (const result of await trustedCentre.ingestDirectory(inbox)) {
    const { run } = result
    log.info(
      {
        outcome: result.outcome,
        feed: run.subject,
        run: run.id,
        rowsIn: run.rowsIn,
        accepted: run.accepted,
        quarantined: run.quarantined,
      },
      run.message ?? result.outcome,
    )
  }
  for (const { run, publication, quality } of await trustedCentre.fuse()) {
    const facts = {
      pipeline: run.subject,
      run: run.id,
      ...publication,
      passed: quality.passed,
      checked: quality.checked,
    }
    if (publication) log.info(facts, run.message ?? 'fused')
    else log.warn(facts, run.message ?? 'not published')
  }
  if (config.SEED_FIXTURES) await seedGlossary(runtime)
}

/** The starter glossary, linked to the fixture datasets' columns (links are set, not added twice). */
async function seedGlossary(runtime: Runtime): Promise<void> {
  const { catalog } = runtime
  await catalog.saveTerms(FIXTURE_GLOSSARY)
  for (const link of FIXTURE_GLOSSARY_LINKS) {
    const dataset = await catalog.findDataset(link.dataset, systemAbility())
    const hasColumn = dataset?.columns.some((c) => c.name === link.column)
    // Stewards may since have changed the links: only columns without terms get the starter ones.
    if (dataset && hasColumn && !dataset.glossary[link.column]?.length) {
      await catalog.linkColumnTerms(dataset.id, link.column, link.terms)
    }
  }
}
