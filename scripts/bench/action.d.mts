// Types of action.mjs for the TypeScript tests (the project compiles no JavaScript).
import type { Measurement, PeakRssMethod } from './measure.mjs'

export const ACTION_ENTRY: string
export const PROJECT_ROOT: string
export const REPOSITORY: string
export const PR_NUMBER: number

export interface PreparedRun {
  entry: string
  env: Record<string, string>
  cwd: string
  outputs(): Record<string, string>
  cleanup(): void
}

export function prepareActionRun(options: {
  entry: string
  tfcUrl: string
  token: string
  runId: string
  githubUrl?: string
  inputs?: Record<string, string>
}): PreparedRun
export function runAction(
  prepared: PreparedRun,
  options?: { method?: PeakRssMethod }
): Promise<Measurement>
export function actionFailure(result: Measurement, label: string): string | undefined
