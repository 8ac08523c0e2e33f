// This process's resident memory (RSS), in MB, as the bench scripts report it.

/** Resident memory now. */
export function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / 2 ** 20)
}

/** The largest resident memory since the process started. */
export function maxRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

/** The largest resident memory while `work` runs, sampled every `sampleMs` and at its end. */
export async function peakMbDuring<T>(
  work: () => Promise<T>,
  sampleMs: number,
): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, sampleMs)
  try {
    const value = await work()
    return { value, peakMb: Math.round(Math.max(peak, process.memoryUsage.rss()) / 2 ** 20) }
  } finally {
    clearInterval(timer)
  }
}
