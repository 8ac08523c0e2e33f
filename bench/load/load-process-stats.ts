import { readdirSync, readFileSync } from 'node:fs'

// Linux's /proc, read directly: the load bench runs on loopback on one Linux machine. CPU times in
// /proc/<pid>/stat are in clock ticks, 100 a second on every Linux the bench runs on (USER_HZ).
const TICKS_PER_SECOND = 100

/** Memory and CPU of one process (or a process tree) at one moment. */
export interface ProcessSample {
  /** Resident memory in MB (for a tree: the sum of proportional set sizes, so shared pages count once). */
  memoryMb: number
  /** CPU seconds (user + system) used since it started. */
  cpuSeconds: number
}

/**
 * A server and its child processes (PostgreSQL's postmaster and backends, a replica's query
 * workers): memory as the sum of proportional set sizes, since they share pages; CPU including
 * children that ended.
 */
export function sampleProcessTree(pid: number): ProcessSample | undefined {
  try {
    const children = childrenOf(pid)
    const pssMb = [pid, ...children].reduce((sum, p) => sum + pssKb(p) / 1024, 0)
    const cpu =
      cpuOf(pid, true) + children.reduce((sum, p) => sum + safe(() => cpuOf(p, false), 0), 0)
    return { memoryMb: pssMb, cpuSeconds: cpu }
  } catch {
    return undefined
  }
}

/** The direct children of a process whose command name is `name`, e.g. this process's postgres. */
export function childrenOf(parent: number, name?: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = safe(() => readFileSync(`/proc/${entry}/stat`, 'utf8'), '')
    if (stat && fieldOf(stat, 4) === parent && (!name || commandOf(stat) === name))
      found.push(Number(entry))
  }
  return found
}

/** CPU seconds the whole machine spent busy and in total, all cores summed (from /proc/stat). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  const ticks = line.split(/\s+/).slice(1).map(Number)
  const total = ticks.reduce((a, b) => a + b, 0)
  // idle and iowait are the 4th and 5th columns.
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND }
}

function cpuOf(pid: number, withEndedChildren: boolean): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // utime, stime, cutime and cstime are fields 14 to 17.
  const at = (n: number) => fieldOf(stat, n)
  const own = at(14) + at(15)
  return (withEndedChildren ? own + at(16) + at(17) : own) / TICKS_PER_SECOND
}

function pssKb(pid: number): number {
  const text = safe(() => readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), '')
  return Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0)
}

/** Field `n` (numbered from 1 as in proc(5)) of a stat line whose command may hold spaces. */
function fieldOf(stat: string, n: number): number {
  // Field 3 (the state) starts two characters after the command's closing parenthesis.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(rest[n - 3] ?? 0)
}

function commandOf(stat: string): string {
  return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
}

/** What `read` returns, or `fallback` when the process ended meanwhile (its /proc files vanish). */
function safe<T>(read: () => T, fallback: T): T {
  try {
    return read()
  } catch {
    return fallback
  }
}
