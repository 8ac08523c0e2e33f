import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { exclusively } from '../core/index.js'
import {
  FIXTURE_AGENCIES,
  FIXTURE_GLOSSARY,
  FIXTURE_GLOSSARY_LINKS,
  FIXTURE_LINEAGE_NAMESPACES,
  FIXTURE_USERS,
  GRANT_DAYS,
  generateFixtures,
  HISTORY_PURPOSE_PREFIX,
  MANIFEST_FILE,
  sharingHistory,
} from '../fixtures/index.js'
import { defineAbilityFor, systemAbility, type User } from '../identity/index.js'
import { canonicalNamespace } from '../lineage/index.js'
import { markRead } from '../notifications/index.js'
import { dataLayout } from '../trusted-centre/index.js'
import type { Runtime } from './runtime.js'

/**
 * Brings the data directory up to date: generates the synthetic feeds if it has none (when
 * enabled), ingests whatever is in the inbox (repeats are no-ops) and runs every pipeline
 * (unchanged results publish nothing). Running it twice changes nothing the second time.
 */
export async function loadData(runtime: Runtime): Promise<void> {
  // Replicas starting together on one PostgreSQL take turns: the first loads, the others then
  // find the feeds generated, ingested and fused, and change nothing.
  if (runtime.config.DATABASE_URL)
    return exclusively(runtime.db as Kysely<unknown>, 'portal:load-data', () => load(runtime))
  return load(runtime)
}

async function load(runtime: Runtime): Promise<void> {
  const { config, log, trustedCentre } = runtime
  const inbox = join(config.DATA_DIR, dataLayout.inbox())
  if (config.SEED_FIXTURES || config.DEV_SIGN_IN) {
    // The fixture story's agencies and people, so the development sign-in has someone to offer.
    await runtime.auth.users.saveAgencies(FIXTURE_AGENCIES)
    await runtime.auth.users.saveUsers(FIXTURE_USERS)
    await seedLineageNamespaces(runtime)
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
  if (config.SEED_FIXTURES) {
    await seedGlossary(runtime)
    // KPIs 12 and 14 read the access workflow: its history goes in once, then they are recomputed.
    // Its decisions each asked for the platform KPIs again in the background: loading ends once
    // those are done, so nothing is still publishing when the data is served (or copied).
    if (await seedSharingHistory(runtime)) {
      await runtime.kpi.refresh.settled()
      await runtime.kpi.engine.compute({ kind: 'start', actor: 'system' })
    }
  }
}

/**
 * The access workflow's history since 2023 (fixtures/sharing-history.ts), carried out through the
 * access store at the dates it happened, so each record is what the workflow itself would have
 * kept. Once: a data directory that has it keeps it. Returns whether it seeded anything.
 */
async function seedSharingHistory(runtime: Runtime): Promise<boolean> {
  const seeded = await runtime.db
    .selectFrom('access_requests')
    .select('id')
    .where('purpose', 'like', `${HISTORY_PURPOSE_PREFIX}%`)
    .limit(1)
    .executeTakeFirst()
  if (seeded) return false
  const now = new Date()
  const people = new Map<string, User>()
  const person = async (username: string) => {
    const found = people.get(username) ?? (await runtime.auth.users.findUserByUsername(username))
    if (!found) throw new Error(`The sharing history names ${username}, who is not in the roster`)
    people.set(username, found)
    return found
  }
  const plan = sharingHistory(runtime.config.FIXTURE_SEED, now)
  for (const step of plan) {
    const requester = await person(step.requester)
    const steward = await person(step.steward)
    const request = await runtime.access.submit(
      {
        dataset: step.dataset,
        purpose: step.purpose,
        legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
        durationDays: GRANT_DAYS,
        project: step.project,
      },
      requester,
      defineAbilityFor(requester),
      step.submittedAt,
    )
    await runtime.access.act(
      request.id,
      step.outcome === 'approved' ? 'approve' : 'reject',
      step.outcome === 'approved' ? {} : { reason: 'Purpose does not need person-level data' },
      steward,
      defineAbilityFor(steward),
      step.decidedAt,
    )
  }
  // What happened long ago is not news: the history's notifications are read.
  for (const user of people.values()) await markRead(runtime.db, user.id, undefined, now)
  runtime.log.info({ requests: plan.length }, 'access workflow history seeded')
  return plan.length > 0
}

/**
 * The fixture agencies' lineage namespaces. Only those nobody holds are registered: one an
 * administrator has since moved to another agency stays where they put it.
 */
async function seedLineageNamespaces(runtime: Runtime): Promise<void> {
  const { namespaces } = runtime.lineage
  const held = await namespaces.ownersOf(FIXTURE_LINEAGE_NAMESPACES.map((n) => n.namespace))
  for (const registration of FIXTURE_LINEAGE_NAMESPACES)
    if (!held.has(canonicalNamespace(registration.namespace)))
      await namespaces.register(registration, 'system', new Date())
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
