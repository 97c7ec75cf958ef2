// Types of report.mjs for the TypeScript tests (the project compiles no JavaScript).
import type { SizeResult } from './throughput.mjs'

export interface BenchResults {
  sizes: Pick<SizeResult, 'resources' | 'bytes' | 'e2e' | 'node' | 'jq'>[]
  waiting: {
    runs: unknown[]
    noticedMs: number
    requestsPerMinute: number
    maxRequestsPerMinute: number
  } | null
  startup: { firstRequestMs: number; samples: number[] } | null
  bundleBytes: number
  nodeBaselineRssBytes: number
  repeat: number
  machine: string
  /** What went wrong with the action; listed under the report. */
  problems: string[]
}

export interface TargetVerdict {
  name: string
  measured: string
  /** null: not measured, or not meaningful at this size. */
  met: boolean | null
}

export function formatBytes(bytes: number): string
export function formatSeconds(ms: number): string
export function marginalCostGrowth(sizes: BenchResults['sizes']): number
export function evaluateTargets(results: BenchResults): TargetVerdict[]
export function markdownReport(results: BenchResults): string
