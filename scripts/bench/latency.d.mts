// Types of latency.mjs for the TypeScript tests (the project compiles no JavaScript).
import type { RecordedRequest } from '../../test/sim/tfc.mjs'

export interface WaitAnalysis {
  noticedMs: number | undefined
  requestsWhileWaiting: number
  /** Requests in the window just before the plan was marked finished. */
  requestsInWindow: number
  /** requestsInWindow per minute; undefined when the action waited less than the window. */
  requestsPerMinute: number | undefined
}

export interface WaitingResult {
  runs: (WaitAnalysis & { delayMs: number; failure: string | undefined })[]
  noticedMs: number
  requestsPerMinute: number
  maxRequestsPerMinute: number
  problems: string[]
}

export interface StartupResult {
  firstRequestMs: number
  samples: number[]
  problems: string[]
}

export function requestsWithToken(
  requests: RecordedRequest[],
  origin: string,
  token: string
): RecordedRequest[]
export function analyzeWait(
  requests: RecordedRequest[],
  markedAt: number,
  windowMs?: number
): WaitAnalysis
export function measureWaiting(options: {
  entry: string
  planPath: string
  runs: number
  minDelayMs?: number
  maxDelayMs?: number
  /** The window before the finish mark over which requests are counted (60 s). */
  windowMs?: number
}): Promise<WaitingResult>
export function measureStartup(options: {
  entry: string
  planPath: string
  runs: number
}): Promise<StartupResult>
