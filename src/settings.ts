// Every input parsed and validated once, before any network call, into one typed Settings object.
import type { FailCondition } from './result.js'

export type CommentPolicy = 'update' | 'new' | 'changes-only' | 'off'
export type CommentLayout = 'per-workspace' | 'combined'
export type SentinelMocksPolicy = 'off' | 'on' | 'required'

/** How the runs are named: by run IDs, by plan IDs, or found by workspace and commit. */
export type RunTarget =
  | { kind: 'runs'; runIds: string[] }
  | { kind: 'plans'; planIds: string[] }
  | { kind: 'discover'; organization: string; workspaces: string[]; commitSha: string }

export interface Settings {
  token: string
  /** Web origin of HCP Terraform/TFE, e.g. `https://app.terraform.io` (no trailing slash). */
  origin: string
  /** Hostname with port when given, e.g. `app.terraform.io` or `127.0.0.1:8080`. */
  hostname: string
  target: RunTarget
  waitTimeoutMs: number
  pollIntervalMs: number
  githubToken: string
  githubApiUrl: string
  /** `owner/repo` from GITHUB_REPOSITORY. */
  repository: { owner: string; repo: string }
  comment: CommentPolicy
  commentMode: CommentLayout
  commentLabel: string
  prNumber?: number
  failOn: FailCondition[]
  protect: string[]
  details: boolean
  sentinelMocks: SentinelMocksPolicy
  sentinelMocksKeep: boolean
  /** Folder for downloaded files (RUNNER_TEMP or the OS temp folder). */
  tempDir: string
}
