// Types of throughput.mjs for the TypeScript tests (the project compiles no JavaScript).
import type { GeneratedPlan } from './plan-generator.mjs'

export interface BenchPlan extends GeneratedPlan {
  path: string
}

export interface Figures {
  wallMs: number
  peakRssBytes: number
}

export interface SizeResult {
  resources: number
  bytes: number
  e2e: Figures | null
  node: Figures | null
  jq: Figures | null
  problems: string[]
}

export function ensurePlan(dir: string, resources: number): BenchPlan
export function countMismatches(
  outputs: Record<string, string>,
  counts: Record<string, number>
): string[]
export function measurePlanSize(options: {
  entry: string
  plan: BenchPlan
  repeat: number
  withJq: boolean
  githubUrl?: string
  log: (line: string) => void
  /** Serve json-output-redacted too (default: it answers 404). */
  serveRedacted?: boolean
}): Promise<SizeResult>
