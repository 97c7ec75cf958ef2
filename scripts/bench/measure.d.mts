// Types of measure.mjs for the TypeScript tests (the project compiles no JavaScript).

export type PeakRssMethod = 'gnu-time' | 'proc-status' | 'none'

export interface Measurement {
  code: number | null
  signal: string | null
  timedOut: boolean
  stdout: string
  stderr: string
  wallMs: number
  peakRssBytes: number | undefined
  /** Date.now() right before the spawn. */
  startedAt: number
}

export function median(values: number[]): number
export function commandExists(command: string): boolean
export function peakRssMethod(): PeakRssMethod
export function readVmHwmBytes(pid: number): number | undefined
export function measureCommand(
  command: string,
  args: string[],
  options?: { env?: NodeJS.ProcessEnv; cwd?: string; method?: PeakRssMethod; timeoutMs?: number }
): Promise<Measurement>
