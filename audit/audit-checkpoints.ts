import { createHmac } from 'node:crypto'
import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { canonicalJson } from '../text/index.js'
import { deriveAuditKeys } from './audit-entry.js'

/** The audit trail's head as it was at one moment, anchored outside the database. */
export interface AuditCheckpoint {
  at: Date
  /** Entries in the trail then: the head's sequence number. */
  entries: number
  headHash: string
  /** The process that wrote it. */
  writer: string
}

/** A checkpoint as read back, with where it was found (for messages). */
export interface StoredCheckpoint extends AuditCheckpoint {
  file: string
  line: number
}

/** Checkpoints read back, and what was wrong with any that could not be trusted. */
export interface CheckpointReading {
  checkpoints: StoredCheckpoint[]
  /** A checkpoint whose MAC does not hold: the first found, named by file and line. */
  altered?: { file: string; line: number; entries: number }
}

/**
 * Where the audit trail's head is anchored, outside the database: someone who can rewrite the
 * database cannot also rewrite what was anchored here.
 */
export interface AuditAnchor {
  /** Where the checkpoints are kept, for messages. */
  readonly where: string
  write(head: Omit<AuditCheckpoint, 'writer'>): Promise<void>
  read(): Promise<CheckpointReading>
}

/**
 * Checkpoints as append-only files in a directory (the data directory, or a mount of storage the
 * database's operators cannot rewrite, such as a WORM bucket). Each process (`writer`) appends to a
 * file of its own per UTC day, `<day>.<writer>.jsonl`; each line carries an HMAC, under a key only the
 * platform holds, over its content and the line before it, so a line can be neither forged nor
 * altered nor taken out of the middle of a file unseen.
 */
export function checkpointDirectory(dir: string, auditKey: Buffer, writer: string): AuditAnchor {
  const key = deriveAuditKeys(auditKey).checkpoints
  let file: string | undefined
  let lastMac = ''
  return {
    where: dir,

    async write(head) {
      const checkpoint = { ...head, writer }
      const name = `${checkpoint.at.toISOString().slice(0, 10)}.${writer}.jsonl`
      if (name !== file) {
        file = name
        lastMac = ''
      }
      const mac = checkpointMac(key, checkpoint, lastMac)
      await mkdir(dir, { recursive: true, mode: 0o700 })
      await appendFile(join(dir, name), `${lineOf(checkpoint, mac)}\n`, { mode: 0o600 })
      lastMac = mac
    },

    async read() {
      const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[]
        throw error
      })
      const reading: CheckpointReading = { checkpoints: [] }
      for (const name of names.filter((n) => n.endsWith('.jsonl')).sort()) {
        const lines = (await readFile(join(dir, name), 'utf8')).split('\n').filter(Boolean)
        let previous = ''
        for (const [index, text] of lines.entries()) {
          const parsed = parseLine(text)
          const line = index + 1
          if (!parsed || checkpointMac(key, parsed.checkpoint, previous) !== parsed.mac) {
            reading.altered ??= { file: name, line, entries: parsed?.checkpoint.entries ?? 0 }
            break
          }
          reading.checkpoints.push({ ...parsed.checkpoint, file: name, line })
          previous = parsed.mac
        }
      }
      return reading
    },
  }
}

function contentOf(checkpoint: AuditCheckpoint) {
  return {
    at: checkpoint.at.toISOString(),
    entries: checkpoint.entries,
    headHash: checkpoint.headHash,
    writer: checkpoint.writer,
  }
}

function checkpointMac(key: Buffer, checkpoint: AuditCheckpoint, previousMac: string): string {
  return createHmac('sha256', key)
    .update(`checkpoint\n${previousMac}\n${canonicalJson(contentOf(checkpoint))}`)
    .digest('hex')
}

function lineOf(checkpoint: AuditCheckpoint, mac: string): string {
  return JSON.stringify({ ...contentOf(checkpoint), mac })
}

function parseLine(text: string): { checkpoint: AuditCheckpoint; mac: string } | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>
    const { at, entries, headHash, writer, mac } = value
    if (
      typeof at !== 'string' ||
      typeof entries !== 'number' ||
      typeof headHash !== 'string' ||
      typeof writer !== 'string' ||
      typeof mac !== 'string'
    )
      return undefined
    return { checkpoint: { at: new Date(at), entries, headHash, writer }, mac }
  } catch {
    return undefined
  }
}
