// Types of tfc.mjs for the TypeScript tests (the project compiles no JavaScript).

export type TokenRole = 'admin' | 'read' | 'none'

/** The counts a plan reports through the API (its `resource-*` attributes). */
export interface SimPlanCounts {
  add: number
  change: number
  destroy: number
  import: number
}

/** A run status and its plan's status at one step of the progression. */
export interface StatusStep {
  run: string
  plan: string
}

export interface RecordedRequest {
  /** `url` for the API, `archivistUrl` for the archivist. */
  origin: string
  method: string
  path: string
  query: Record<string, string>
  /** Lower-case names, as received (includes authorization). */
  headers: Record<string, string | string[] | undefined>
  body: string
  at: number
}

/** Served instead of the normal answer to the next `times` (default 1; Infinity = always) matches. */
export interface Fault {
  match: (req: RecordedRequest) => boolean
  status?: number
  headers?: Record<string, string>
  /** Object → JSON:API body; string → sent as is (text/html when it starts with `<`). */
  body?: unknown
  /** Wait this long first; without `status` the normal answer follows (a slow response). */
  delayMs?: number
  times?: number
  /** Drop the connection without an answer. */
  resetConnection?: boolean
  /** Send the normal answer's headers and half its body, then drop the connection. */
  truncate?: boolean
}

export interface SimulatorOptions {
  /** Token → role. Default: one random admin token and one random read token (see `tokens`). */
  tokens?: Record<string, 'admin' | 'read'>
  /** json-output answers 204 this many times after the plan finished (default 1). */
  jsonOutputNotReadyPolls?: number
  /** How long archivist URLs for JSON plans and exports stay valid (default 60 000 ms). */
  archivistUrlTtlMs?: number
  /** Answer 429 past 30 run-list requests a minute. */
  listRateLimit?: boolean
  /** TFP-API-Version of the ping endpoint (default 2.6). */
  apiVersion?: string
  /** false: an older TFE, which answers 400 to include=task_stages and 404 to task stages. */
  taskStages?: boolean
}

/** One policy's outcome inside a policy-set outcome, with the API's snake_case keys. */
export interface PolicyOutcomeSpec {
  policy_name: string
  status: 'passed' | 'failed' | 'errored'
  enforcement_level: 'advisory' | 'mandatory'
  description?: string
  query?: string
  output?: { print: string }[]
}

export interface TaskResultSpec {
  name: string
  status: string
  enforcement?: 'advisory' | 'mandatory'
  message?: string
  url?: string
}

/**
 * A run's post-plan work (see tfc-post-plan.mjs). Every status given is the final one: until the
 * run reaches its last status step, stages and results show running, estimates and checks queued.
 */
export interface PostPlanSpec {
  taskStages?: {
    stage?: 'pre_plan' | 'post_plan' | 'pre_apply' | 'post_apply'
    status?: string
    taskResults?: TaskResultSpec[]
    policyEvaluations?: {
      kind?: 'opa' | 'sentinel'
      status?: string
      policySets?: {
        name: string
        description?: string
        overridable?: boolean
        error?: string
        outcomes?: PolicyOutcomeSpec[]
      }[]
    }[]
  }[]
  /** Legacy Sentinel policy checks; `output` is served at /policy-checks/:id/output. */
  policyChecks?: {
    status: string
    scope?: string
    output: string
    result?: Record<string, unknown>
  }[]
  /** Decimal strings, as HCP Terraform reports them. */
  costEstimate?: {
    status?: string
    prior?: string
    proposed?: string
    delta?: string
    matched?: number
    unmatched?: number
    errorMessage?: string
  }
}

export interface WorkspaceSpec {
  name: string
  organization: string
  id?: string
  /** Caps the access of every token on this workspace and its runs. */
  tokenRole?: TokenRole
}

export interface SimWorkspace {
  id: string
  name: string
  organization: string
  tokenRole?: TokenRole
}

export interface RunSpec {
  id?: string
  planId?: string
  /** Workspace name or ID (created in `organization`, default `acme`, when unknown) or object. */
  workspace: string | SimWorkspace
  organization?: string
  /** Object, JSON text or a file path. Absent: json-output answers 404 once the plan is final. */
  planJson?: unknown
  /** Object, JSON text or file path; default derived from planJson; null/false: 404. */
  redactedJson?: unknown
  /** json-output-redacted inline (200, default) or as a 307 to the archivist. */
  redactedVia?: 'inline' | 'redirect'
  /** `provider_schemas` of the derived redacted plan (a `terraform providers schema -json` object's). */
  providerSchemas?: unknown
  /**
   * Progression, one step per poll of the run or plan (default), per `advance` ms, or held at the
   * first step ('manual') until setPlanStatus. A string is a plan status; the run status follows.
   * Default: ['finished'].
   */
  statuses?: (string | Partial<StatusStep>)[]
  advance?: 'poll' | 'manual' | number
  /** plan_only (default) | plan_and_apply | save_plan | refresh_only | destroy | empty_apply */
  operation?: string
  source?: string
  message?: string
  /** Commit of the configuration version; gives the run VCS ingress attributes. */
  commitSha?: string
  branch?: string
  pullRequestNumber?: number
  /** owner/repo of the ingress attributes (default octo/infra). */
  repository?: string
  createdBy?: string
  createdAt?: string | number | Date
  /** Default derived from planJson. */
  hasChanges?: boolean
  counts?: Partial<SimPlanCounts>
  /** Default from planJson's terraform_version, else 1.9.5; < 0.12 → json-output 422. */
  terraformVersion?: string
  /** Served at log-read-url. Default: a structured log derived from the plan. */
  logText?: string
  structuredRunOutput?: boolean
  executionDetails?: Record<string, string> | null
  /** Caps token access on this run: admin (json-output ok), read (json-output 404), none (404). */
  tokenRole?: TokenRole
  jsonOutputNotReadyPolls?: number
  /** Plan export progression, one step per GET (default pending → queued → finished). */
  exportStatuses?: string[]
  /** Run tasks, policies and the cost estimate. */
  postPlan?: PostPlanSpec
}

export interface SimRun {
  id: string
  planId: string
  configurationVersionId: string
  workspace: SimWorkspace
  operation: string
  counts: SimPlanCounts
  hasChanges: boolean
  /** The secret log URL (on the archivist). */
  logUrl: string
}

export interface TfcSimulator {
  /** API origin, http://127.0.0.1:PORT */
  url: string
  /** A different origin: http://localhost:PORT2 */
  archivistUrl: string
  tokens: { admin?: string; read?: string }
  /** Every request to either server. */
  requests: RecordedRequest[]
  /** Archivist requests that carried an Authorization header. */
  tokenLeaks: { url: string; authorization: string }[]
  faults: Fault[]
  addWorkspace(spec: WorkspaceSpec): SimWorkspace
  addRun(spec: RunSpec): SimRun
  /** Holds the run (by run or plan ID) at this status; the run status follows unless given. */
  setPlanStatus(id: string, planStatus: string, runStatus?: string): void
  /** Run-list requests so far. */
  listRequestCount(): number
  close(): Promise<void>
}

export function startTfcSimulator(options?: SimulatorOptions): Promise<TfcSimulator>

/** Matcher for `faults`: method and `/api/v2/runs/:id`-style pattern or a RegExp on the path. */
export function on(method: string, pattern: string | RegExp): (req: RecordedRequest) => boolean

type FaultBuilder = (match: (req: RecordedRequest) => boolean, extra?: Partial<Fault>) => Fault
/** rateLimit (429, X-RateLimit-Reset 0.5), serverError (503), htmlError (502 page), malformedJson,
 * resetConnection, expired (the archivist's 403), slow (30 s), truncate. */
export const fault: {
  rateLimit: FaultBuilder
  serverError: FaultBuilder
  htmlError: FaultBuilder
  malformedJson: FaultBuilder
  resetConnection: FaultBuilder
  expired: FaultBuilder
  slow: FaultBuilder
  truncate: FaultBuilder
}
