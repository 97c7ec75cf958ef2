// Types of latency.mjs for the TypeScript tests (the project compiles no JavaScript).
import type { RecordedRequest } from '../../test/sim/tfc.mjs'

export interface WaitAnalysis {
  noticedMs: number | undefined
  requestsWhileWaiting: number
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
export function analyzeWait(requests: RecordedRequest[], markedAt: number): WaitAnalysis
export function measureWaiting(options: {
  entry: string
  planPath: string
  runs: number
  minDelayMs?: number
  maxDelayMs?: number
}): Promise<WaitingResult>
export function measureStartup(options: {
  entry: string
  planPath: string
  runs: number
}): Promise<StartupResult>
