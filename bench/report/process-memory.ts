import { readFileSync } from 'node:fs'

// This process's resident memory (RSS), in MB, as the bench scripts report it.

/** Resident memory now. */
export function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / 2 ** 20)
}

/** The largest resident memory since the process started. */
export function maxRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

/** Resident bytes of other processes (a query's worker processes, say); 0 for one gone. */
function rssOf(pids: readonly number[]): number {
  let bytes = 0
  for (const pid of pids) {
    try {
      bytes += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1] ?? 0) * 4096
    } catch {
      // The process ended between listing and reading.
    }
  }
  return bytes
}

/**
 * The largest resident memory while `work` runs, sampled every `sampleMs` and at its end: this
 * process's, plus that of the processes `children` names at each sample (the work's own workers).
 */
export async function peakMbDuring<T>(
  work: () => Promise<T>,
  sampleMs: number,
  children: () => readonly number[] = () => [],
): Promise<{ value: T; peakMb: number }> {
  const sample = () => process.memoryUsage.rss() + rssOf(children())
  let peak = sample()
  const timer = setInterval(() => {
    peak = Math.max(peak, sample())
  }, sampleMs)
  try {
    const value = await work()
    return { value, peakMb: Math.round(Math.max(peak, sample()) / 2 ** 20) }
  } finally {
    clearInterval(timer)
  }
}
