// Waiting for many discovered runs at once: one organization run-list request a round reads the
// statuses of up to 100 runs, where polling each run costs one request per run and round. A run
// is handed on to its own waiting (one GET per poll) once the list shows it may be over.
import * as core from '@actions/core'
import { systemClock } from '../util/clock.js'
import type { Clock } from '../util/clock.js'
import { errorMessage } from '../util/error-message.js'
import type { TfcClient } from './client.js'
import { createCommitCheck } from './commit-runs.js'
import type { DiscoveredRun } from './discovery.js'
import { newestCommitRuns } from './organization-runs.js'
import type { ListedRun } from './organization-runs.js'
import { planMayBeOver } from './run-progress.js'
import type { StatusSnapshot } from './wait.js'
import { formatElapsed, waitTimeoutError } from './wait.js'

export interface RunListWatchOptions {
  organization: string
  commitSha: string
  runs: DiscoveredRun[]
  /** When a run's waiting is over, as the run list shows it (plan and run status). */
  isOver: (snapshot: StatusSnapshot) => boolean
  timeoutMs: number
  /** Pause between two rounds (the `poll-interval` input). */
  pollIntervalMs: number
  clock?: Clock
  log?: (line: string) => void
  signal?: AbortSignal
}

export interface RunListWatch {
  /**
   * Resolves once the run list shows the run may be over, or cannot tell (a newer run, an older
   * server, a failed request): the run's own waiting takes over. Rejects when the time is up.
   */
  mayBeOver(runId: string): Promise<void>
}

/** A "still waiting" line at most this often. */
const PROGRESS_LOG_INTERVAL_MS = 30_000

export function watchRunList(client: TfcClient, options: RunListWatchOptions): RunListWatch {
  const gates = new Map(options.runs.map(run => [run.runId, openable()]))
  void watch(client, options, gates)
  return {
    mayBeOver: runId => gates.get(runId)?.promise ?? Promise.resolve()
  }
}

interface Gate {
  promise: Promise<void>
  open(): void
  fail(error: Error): void
}

function openable(): Gate {
  let open!: () => void
  let fail!: (error: Error) => void
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve
    fail = reject
  })
  // Each gate is awaited by its run; this keeps an early failure from being unhandled meanwhile.
  promise.catch(() => undefined)
  return { promise, open, fail }
}

async function watch(
  client: TfcClient,
  options: RunListWatchOptions,
  gates: Map<string, Gate>
): Promise<void> {
  const { organization, commitSha, signal } = options
  const clock = options.clock ?? systemClock
  const log = options.log ?? ((line: string) => core.info(line))
  const plannedCommit = createCommitCheck(client, commitSha)
  const waiting = new Map(options.runs.map(run => [run.runId, run]))
  const lastSeen = new Map<string, ListedRun>()
  const handOn = (runId: string): void => {
    gates.get(runId)?.open()
    waiting.delete(runId)
  }
  const started = clock.now()
  let nextProgressLog = started + PROGRESS_LOG_INTERVAL_MS
  let announced = false
  try {
    while (waiting.size > 0) {
      const workspaces = [...waiting.values()].map(run => ({
        name: run.workspace,
        id: run.workspaceId
      }))
      const listed = await newestCommitRuns(
        client,
        organization,
        workspaces,
        commitSha,
        plannedCommit
      )
      if (listed && !announced) {
        log(`Waiting for ${waiting.size} runs through the organization's run list.`)
        announced = true
      }
      for (const run of [...waiting.values()]) {
        const entry = listed?.get(run.workspaceId)
        if (entry?.runId !== run.runId || listedAsOver(entry, options.isOver)) handOn(run.runId)
        else lastSeen.set(run.runId, entry)
      }
      if (waiting.size === 0) return
      const time = clock.now()
      if (time - started >= options.timeoutMs) {
        for (const runId of waiting.keys()) {
          const seen = lastSeen.get(runId)
          const statuses = { planStatus: seen?.planStatus ?? 'unknown', runStatus: seen?.runStatus }
          gates.get(runId)?.fail(waitTimeoutError(runId, statuses, time - started))
        }
        return
      }
      if (time >= nextProgressLog) {
        log(`Still waiting for ${waiting.size} runs (${formatElapsed(time - started)} elapsed).`)
        nextProgressLog = time + PROGRESS_LOG_INTERVAL_MS
      }
      await clock.sleep(
        Math.min(options.pollIntervalMs, started + options.timeoutMs - time),
        signal
      )
    }
  } catch (error) {
    // Each run's own waiting takes over: it polls the run, and stops on cancellation itself.
    core.debug(`The run list is no longer read: ${errorMessage(error)}`)
    for (const runId of [...waiting.keys()]) handOn(runId)
  }
}

function listedAsOver(entry: ListedRun, isOver: (snapshot: StatusSnapshot) => boolean): boolean {
  return entry.planStatus === undefined
    ? planMayBeOver(entry.runStatus)
    : isOver({ planStatus: entry.planStatus, runStatus: entry.runStatus })
}
