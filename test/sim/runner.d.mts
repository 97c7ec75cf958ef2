// Types of runner.mjs for the TypeScript tests (the project compiles no JavaScript).

export const PROJECT_ROOT: string
export const ACTION_ENTRY: string
export const REPOSITORY: string
export const PR_NUMBER: number
export const HEAD_SHA: string
export const MERGE_SHA: string
export const GITHUB_TOKEN: string

export interface WorkflowCommands {
  errors: string[]
  warnings: string[]
  notices: string[]
  /** Values registered with ::add-mask:: */
  masks: string[]
}

export interface RunOptions {
  /** `with:` values; action.yml defaults fill the rest, as on the runner. */
  inputs: Record<string, string>
  /** Extra environment (the step's `env:`); nothing else is inherited but PATH. */
  env?: Record<string, string>
  /** Event payload; default: pullRequestEvent() for pull_request* events, else {}. */
  event?: object
  /** Default pull_request. */
  eventName?: string
  /** GITHUB_API_URL; default: a closed loopback port. */
  githubApiUrl?: string
  /** What `${{ github.token }}` resolves to. */
  githubToken?: string
  /** Kill the step with SIGKILL after this long (default 60 s). */
  timeoutMs?: number
  /** Send a signal to the step after a while (cancellation). */
  signal?: { name: 'SIGINT' | 'SIGTERM'; afterMs: number }
  /** Script to run; default dist/index.js. */
  entry?: string
}

export interface RunResult {
  code: number | null
  signal: string | null
  timedOut: boolean
  stdout: string
  stderr: string
  /** stdout and stderr as the runner displays them: add-mask commands consumed, masked values ***. */
  log: string
  outputs: Record<string, string>
  summary: string
  annotations: WorkflowCommands
  runnerTemp: string
  /** Holds RUNNER_TEMP, the workspace and the runner files; the caller removes it. */
  workDir: string
  durationMs: number
}

export function pullRequestEvent(options?: {
  number?: number
  headSha?: string
  repository?: string
  fork?: boolean
}): Record<string, unknown>
export function actionInputDefaults(actionYml: string, githubToken: string): Record<string, string>
export function parseGithubOutput(text: string): Record<string, string>
export function parseWorkflowCommands(stdout: string): WorkflowCommands
export function maskedLog(output: string, masks: string[]): string
export function runAction(options: RunOptions): Promise<RunResult>
