// Polls until the plan has a final status, or the run's post-plan work is over (`isOver`), logging like the Terraform CLI does.
import * as core from '@actions/core'
import { systemClock } from '../util/clock.js'
import type { Clock } from '../util/clock.js'

/** What waiting needs from a poll: the plan's status, and the run's when there is a run. */
export interface StatusSnapshot {
  planStatus: string
  runStatus?: string
}

export interface WaitOptions<S extends StatusSnapshot = StatusSnapshot> {
  timeoutMs: number
  /** When waiting is over; default: the plan has a final status. */
  isOver?: (snapshot: S) => boolean
  /** Run statuses this action knows (others are logged once); default: not checked. */
  isKnownRunStatus?: (status: string) => boolean
  /** Longest pause between two polls (the `poll-interval` input). */
  maxIntervalMs: number
  /** Time for the pauses and the limit (default: the system clock). */
  clock?: Clock
  log?: (line: string) => void
  signal?: AbortSignal
  /** Names the plan in log lines and errors, e.g. the run ID or workspace. */
  label?: string
}

const FINAL_PLAN_STATUSES = new Set(['finished', 'errored', 'canceled', 'unreachable'])
const WAITING_TO_START = new Set(['pending', 'created', 'mfa_waiting', 'managed_queued', 'queued'])
const KNOWN_PLAN_STATUSES = new Set([...FINAL_PLAN_STATUSES, ...WAITING_TO_START, 'running'])

/*
 * Pauses grow 1 s, 1.5 s, 2.25 s … up to maxIntervalMs while the plan waits to start (a queue can
 * take minutes), and up to ¾ of it while the plan runs, as it can finish any moment. With the
 * default 3 s: a running plan is polled every 2.25 s, so its end is seen 1.1 s later in the median
 * (plus one request), and no 60 s window holds more than 28 polls (≤ 30 requests per minute).
 */
const FIRST_PAUSE_MS = 1000
const PAUSE_GROWTH = 1.5
const RUNNING_SHARE_OF_MAX = 0.75
/** A "still waiting" line at most this often when nothing changes. */
const PROGRESS_LOG_INTERVAL_MS = 30_000

export function isFinalPlanStatus(status: string): boolean {
  return FINAL_PLAN_STATUSES.has(status)
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError'
  constructor(
    message: string,
    readonly lastPlanStatus: string,
    readonly lastRunStatus: string | undefined,
    readonly elapsedMs: number
  ) {
    super(message)
  }
}

/** Waiting for `label` (default: the plan) ran out of time with these statuses last seen. */
export function waitTimeoutError(
  label: string | undefined,
  { planStatus, runStatus }: StatusSnapshot,
  elapsedMs: number
): WaitTimeoutError {
  return new WaitTimeoutError(
    `Timed out after ${formatElapsed(elapsedMs)} waiting for ${label ?? 'the plan'} to finish: ` +
      `the last plan status was "${planStatus}"` +
      (runStatus ? ` and the run status "${runStatus}"` : '') +
      '. Raise the `wait-timeout` input if plans take longer.',
    planStatus,
    runStatus,
    elapsedMs
  )
}

/** Waiting was cancelled through the signal. Named like the platform's abort errors. */
export class WaitAbortedError extends Error {
  override name = 'AbortError'
}

/** The pause after poll number `pollIndex` (0-based), given the plan status just seen. */
export function pauseAfterPoll(
  pollIndex: number,
  planStatus: string,
  maxIntervalMs: number
): number {
  // A finished plan still awaited means post-plan work is running: it too can end any moment.
  const running = planStatus === 'running' || planStatus === 'finished'
  const cap = running ? maxIntervalMs * RUNNING_SHARE_OF_MAX : maxIntervalMs
  return Math.round(Math.min(cap, FIRST_PAUSE_MS * PAUSE_GROWTH ** pollIndex))
}

export async function waitForPlan<S extends StatusSnapshot>(
  poll: () => Promise<S>,
  options: WaitOptions<S>
): Promise<S> {
  const isOver = options.isOver ?? ((s: S) => isFinalPlanStatus(s.planStatus))
  const { timeoutMs, maxIntervalMs, signal } = options
  const clock = options.clock ?? systemClock
  const log = options.log ?? ((line: string) => core.info(line))
  const prefix = options.label ? `${options.label}: ` : ''
  const started = clock.now()
  const elapsed = (): string => formatElapsed(clock.now() - started)

  let previous: StatusSnapshot | undefined
  let lastLogAt = started
  const unknownSeen = new Set<string>()
  const say = (line: string): void => {
    log(`${prefix}${line}`)
    lastLogAt = clock.now()
  }

  for (let pollIndex = 0; ; pollIndex++) {
    const snapshot = await unlessAborted(poll, signal, options.label)
    const { planStatus, runStatus } = snapshot
    const statuses = describeStatuses(snapshot)

    if (isOver(snapshot)) {
      const what = !isFinalPlanStatus(planStatus)
        ? `Run ${runStatus ?? 'stopped'}`
        : isFinalPlanStatus(previous?.planStatus ?? '')
          ? 'Run tasks, policies and cost estimate over'
          : `Plan ${planStatus}`
      say(`${what} (${statuses}, ${elapsed()} elapsed).`)
      return snapshot
    }
    if (!KNOWN_PLAN_STATUSES.has(planStatus) && !unknownSeen.has(planStatus)) {
      unknownSeen.add(planStatus)
      say(`Plan status "${planStatus}" is new to this action; waiting for a final one.`)
    }
    const knownRun = options.isKnownRunStatus
    // Keyed by the word: a new status both plan and run report is logged once.
    if (runStatus && knownRun && !knownRun(runStatus) && !unknownSeen.has(runStatus)) {
      unknownSeen.add(runStatus)
      say(`Run status "${runStatus}" is new to this action; waiting for the run to end.`)
    }
    const changed = planStatus !== previous?.planStatus || runStatus !== previous?.runStatus
    if (changed) {
      say(`${waitingPhrase(planStatus)} (${statuses}, ${elapsed()} elapsed)`)
    } else if (clock.now() - lastLogAt >= PROGRESS_LOG_INTERVAL_MS) {
      say(`Still ${waitingPhrase(planStatus).toLowerCase()} (${statuses}, ${elapsed()} elapsed)`)
    }
    previous = snapshot

    const remainingMs = started + timeoutMs - clock.now()
    if (remainingMs <= 0) {
      throw waitTimeoutError(options.label, snapshot, clock.now() - started)
    }
    const pauseMs = Math.min(pauseAfterPoll(pollIndex, planStatus, maxIntervalMs), remainingMs)
    await unlessAborted(() => clock.sleep(pauseMs, signal), signal, options.label)
  }
}

function waitingPhrase(planStatus: string): string {
  if (WAITING_TO_START.has(planStatus)) return 'Waiting for the plan to start...'
  return isFinalPlanStatus(planStatus)
    ? 'Waiting for run tasks, policies and the cost estimate...'
    : 'Waiting for the plan to finish...'
}

function describeStatuses({ planStatus, runStatus }: StatusSnapshot): string {
  return runStatus
    ? `plan status: ${planStatus}, run status: ${runStatus}`
    : `plan status: ${planStatus}`
}

/** `0m12s`, `12m05s`, as the Terraform CLI prints waiting times. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
}

/** Starts `start` unless aborted; settles with it, or rejects at once on abort (abandoning it). */
async function unlessAborted<T>(
  start: () => Promise<T>,
  signal: AbortSignal | undefined,
  label: string | undefined
): Promise<T> {
  if (signal === undefined) return start()
  const stopped = (): WaitAbortedError => {
    const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : ''
    return new WaitAbortedError(`Stopped waiting for ${label ?? 'the plan'}${reason}`, {
      cause: signal.reason
    })
  }
  if (signal.aborted) throw stopped()
  const work = start()
  // An abandoned poll may still fail later; that must not surface as an unhandled rejection.
  work.catch(() => undefined)
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(stopped())
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([work, aborted])
  } catch (error) {
    // An abortable sleep rejects with its own AbortError; report every abort the same way.
    throw signal.aborted ? stopped() : error
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}
