/** A task run on request, never twice at once, with requests made while it runs coalesced. */
export interface CoalescedRun {
  /**
   * Asks for a run; resolves when a run that started after this request has ended. While a run
   * is under way, every request made meanwhile shares the one run that follows it.
   */
  request(): Promise<void>
  /** Resolves once no run is under way or waiting (e.g. before the database closes). */
  settled(): Promise<void>
}

/**
 * Runs `task` on request, one run at a time: a burst of requests costs at most the run under way
 * and one more, which sees everything the burst changed. A run that throws is over all the same:
 * the requests it answers get its error, and the next request runs the task again.
 * @example const refresh = coalesce(() => engine.computePlatform(trigger).then(() => undefined, log))
 */
export function coalesce(task: () => Promise<void>): CoalescedRun {
  let running: Promise<void> | undefined
  let waiting: Promise<void> | undefined

  function start(): Promise<void> {
    const run = task()
    const ended: Promise<void> = run
      .catch(() => undefined)
      .finally(() => {
        if (running === ended) running = undefined
      })
    running = ended
    // Answered once the run is over here too, so a request answered can start the next run.
    return handled(ended.then(() => run))
  }

  return {
    request() {
      if (!running) return start()
      // One more run after the current one: whatever changed meanwhile is in its reading.
      waiting ??= handled(
        running.then(() => {
          waiting = undefined
          return start()
        }),
      )
      return waiting
    },
    async settled() {
      // A failed run was told to its requesters; settling only waits for it to be over.
      while (running || waiting) await (waiting ?? running)?.catch(() => undefined)
    },
  }
}

/**
 * The same promise, its failure marked as handled: a requester that stops listening before the
 * run ends (its own request failed first) must not make the run's error an unhandled rejection,
 * which ends the process. Requesters that wait still get the error.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}
