// Every input parsed and validated once, before any network call, into one typed Settings object.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as core from '@actions/core'
import { parseDuration } from './util/duration.js'
import type { FailCondition } from './result.js'
import type { Approver, OverrideSettings, WaivableCondition } from './gates/overrides.js'
import { WAIVABLE_CONDITIONS, parseApprover } from './gates/overrides.js'
import { errorMessage } from './util/error-message.js'
import { compileMasks } from './util/mask.js'

export type CommentPolicy = 'update' | 'new' | 'changes-only' | 'off'
export type CommentLayout = 'per-workspace' | 'combined'
/** What a comment too long for GitHub does: shortened (the job summary has all), or split in parts. */
export type CommentOverflow = 'summary' | 'split'
export type SentinelMocksPolicy = 'off' | 'on' | 'required'
/**
 * Wait for the plan only, for the run's task stages, policies and cost estimate too, or on until
 * the run's apply is over.
 */
export type WaitFor = 'run' | 'plan' | 'apply'
/** How the comment groups resource changes: by what happens to them, or by module. */
export type GroupBy = 'action' | 'module'

/** How the runs are named: by run IDs, by plan IDs, or found by workspace and commit. */
export type RunTarget =
  | { kind: 'runs'; runIds: string[] }
  | { kind: 'plans'; planIds: string[] }
  | { kind: 'discover'; organization: string; workspaces: string[]; commitSha: string }
  /** A review or label event: the runs the sticky comment recorded for the pull request's head. */
  | { kind: 'recorded' }

export interface Settings {
  token: string
  /** Web origin of HCP Terraform/TFE, e.g. `https://app.terraform.io` (no trailing slash). */
  origin: string
  /** Hostname with port when given, e.g. `app.terraform.io` or `127.0.0.1:8080`. */
  hostname: string
  target: RunTarget
  waitTimeoutMs: number
  pollIntervalMs: number
  waitFor: WaitFor
  /** USD a month, an exact decimal string; the step fails when the cost delta is larger. */
  maxMonthlyCostIncrease?: string
  /**
   * The commit the plan is for (commit-sha, else the pull request's head in the event): the
   * comment names it, and is left alone once the pull request's head has moved past it.
   */
  commitSha?: string
  /**
   * The repository's web page on the GitHub server (GITHUB_SERVER_URL and GITHUB_REPOSITORY), where
   * commits are linked; undefined without a repository.
   */
  repositoryUrl?: string
  /** Shown in the comment's and the summary's titles, and part of the comment's marker. */
  commentLabel: string
  /** Present only when a comment is written: the comment input is not off and a pull request is known. */
  comment?: CommentSettings
  /** The comment input asks for a comment, but no pull request is known (publishing says so). */
  commentWithoutPullRequest: boolean
  failOn: FailCondition[]
  protect: string[]
  details: boolean
  groupBy: GroupBy
  /** Attribute names or dotted paths left out of the attribute diffs (`hide-attributes`). */
  hideAttributes: string[]
  /** Expressions whose matches are shown as `(masked)` wherever the action writes text. */
  masks: RegExp[]
  sentinelMocks: SentinelMocksPolicy
  sentinelMocksKeep: boolean
  /** Folder for downloaded files (RUNNER_TEMP or the OS temp folder). */
  tempDir: string
  /** Who may waive which tripped gates; absent when neither approvers nor a label are given. */
  overrides?: OverrideSettings
  /** `labels: true`: the label set that says what the plan does, with its prefix. */
  labels?: { prefix: string }
  /**
   * The pull request this job is about, for reading reviews and labels and writing labels; present
   * whenever a pull request, the repository and a github-token are known (with comment: off too).
   */
  pullRequest?: PullRequestSettings
  /** `wait-for: apply`: where the apply is reported on GitHub (undefined otherwise). */
  apply?: ApplySettings
}

/** A pull request and the means to read it. */
export interface PullRequestSettings {
  token: string
  apiUrl: string
  repository: Repository
  number: number
}

/** The apply's GitHub side: the pull requests of the applied commit, and its commit statuses. */
export interface ApplySettings {
  /** The applied commit: commit-sha, else the pull request's head, else GITHUB_SHA. */
  commitSha?: string
  /** Undefined without a repository or a GitHub token: nothing is written on GitHub. */
  github?: { token: string; apiUrl: string; repository: Repository }
  /** The apply comment's policy; undefined with comment: off. */
  comment?: Exclude<CommentPolicy, 'off'>
  layout: CommentLayout
  /** pr-number, when given: the apply comment goes there instead of the commit's pull requests. */
  prNumber?: number
  /** A commit status per workspace: pending while waiting, then success or failure. */
  commitStatus: boolean
}

/** Where and how the pull request comment is written. */
export interface CommentSettings {
  token: string
  /** GitHub's REST API, e.g. `https://api.github.com` (GITHUB_API_URL). */
  apiUrl: string
  /** `owner/repo` from GITHUB_REPOSITORY. */
  repository: Repository
  prNumber: number
  policy: Exclude<CommentPolicy, 'off'>
  layout: CommentLayout
  overflow: CommentOverflow
}

interface Repository {
  owner: string
  repo: string
}

/** All input problems found at once, one line each, so a user fixes them in one go. */
export class InputError extends Error {
  readonly problems: string[]

  constructor(problems: string[]) {
    super(problems.join('\n'))
    this.name = 'InputError'
    this.problems = problems
  }
}

const DEFAULT_HOSTNAME = 'app.terraform.io'
const DEFAULT_GITHUB_API_URL = 'https://api.github.com'
const DEFAULT_GITHUB_SERVER_URL = 'https://github.com'
/** GitHub stops a job after 6 hours: waiting longer than that cannot help. */
const MAX_WAIT_MS = 6 * 3_600_000
const MIN_POLL_MS = 1000
const MAX_POLL_MS = 5 * 60_000
const MAX_LABEL_LENGTH = 100
/** GitHub's limit on a label's name. */
const MAX_GITHUB_LABEL_LENGTH = 50

const DURATION_ADVICE = 'use a duration like 90s, 15m or 1h, or a number of seconds'
const HOSTNAME_ADVICE =
  'use a host like app.terraform.io or tfe.example.com:8443, or a URL like https://tfe.example.com'
const TOKEN_EXAMPLE = 'token: ${{ secrets.TF_API_TOKEN }}'
const GITHUB_TOKEN_EXAMPLE = 'github-token: ${{ github.token }}'
/** The defaults of action.yml, for runs outside the runner (which passes them itself). */
const INPUT_DEFAULTS: Readonly<Record<string, string>> = {
  'wait-timeout': '30m',
  'poll-interval': '3s',
  comment: 'update',
  'comment-mode': 'per-workspace',
  'comment-overflow': 'summary',
  details: 'true',
  'group-by': 'action',
  'fail-on': 'errored,policy,run-task',
  'wait-for': 'run',
  'sentinel-mocks': 'false',
  'sentinel-mocks-keep': 'false',
  'override-for': WAIVABLE_CONDITIONS.join(','),
  labels: 'false',
  'label-prefix': 'terraform:',
  'commit-status': 'false'
}
/** What users may write (case-insensitive) → what it means. */
const COMMENT_POLICIES: Readonly<Record<string, CommentPolicy>> = {
  update: 'update',
  new: 'new',
  'changes-only': 'changes-only',
  off: 'off',
  true: 'update',
  false: 'off'
}
const COMMENT_LAYOUTS: Readonly<Record<string, CommentLayout>> = {
  'per-workspace': 'per-workspace',
  combined: 'combined'
}
const COMMENT_OVERFLOWS: Readonly<Record<string, CommentOverflow>> = {
  summary: 'summary',
  split: 'split'
}
const SENTINEL_MOCKS_POLICIES: Readonly<Record<string, SentinelMocksPolicy>> = {
  false: 'off',
  true: 'on',
  required: 'required'
}
const FAIL_CONDITIONS: readonly FailCondition[] = [
  'errored',
  'changes',
  'destroy',
  'replace',
  'drift',
  'policy',
  'advisory',
  'run-task',
  'unapplied',
  'none'
]
const WAIT_FOR: Readonly<Record<string, WaitFor>> = { run: 'run', plan: 'plan', apply: 'apply' }
const GROUP_BY: Readonly<Record<string, GroupBy>> = { action: 'action', module: 'module' }

/** Where a value came from, for messages: the input, or the environment variable it fell back to. */
interface Sourced {
  value: string
  label: string
}

/** Problems are collected, not thrown, so that every bad input is reported together. */
type Report = (problem: string) => void

/**
 * Reads and validates every input (`INPUT_<NAME>` variables, as the runner passes them) and the
 * runner's environment. Throws an InputError listing every problem; never prints a token.
 */
export function getSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const problems: string[] = []
  const report: Report = problem => problems.push(problem)
  const event = lazyEvent(env)

  const token = readSecret(env, 'token', ['TF_API_TOKEN', 'TFE_TOKEN'], TOKEN_EXAMPLE, report)
  const githubToken = readSecret(env, 'github-token', [], GITHUB_TOKEN_EXAMPLE, report)
  if (!token) {
    report(
      `Input \`token\` is missing: set it (e.g. ${TOKEN_EXAMPLE}) or the TF_API_TOKEN environment variable.`
    )
  }

  const address = parseAddress(
    readSourced(env, 'hostname', ['TF_HOSTNAME', 'TFE_HOSTNAME']) ?? {
      value: DEFAULT_HOSTNAME,
      label: 'Input `hostname`'
    },
    report
  )
  const target = parseTarget(env, event, report)
  const waitTimeoutMs = parseWaitTimeout(readInput(env, 'wait-timeout'), report)
  const pollIntervalMs = parsePollInterval(readInput(env, 'poll-interval'), waitTimeoutMs, report)

  const comment = parseChoice('comment', readInput(env, 'comment'), COMMENT_POLICIES, report)
  const commentMode = parseChoice(
    'comment-mode',
    readInput(env, 'comment-mode'),
    COMMENT_LAYOUTS,
    report
  )
  const commentOverflow = parseChoice(
    'comment-overflow',
    readInput(env, 'comment-overflow'),
    COMMENT_OVERFLOWS,
    report
  )
  const commentLabel = parseCommentLabel(readInput(env, 'comment-label'), report)
  const overrides = parseOverrides(env, report)
  const labels = parseBoolean('labels', readInput(env, 'labels'), report)
    ? { prefix: parseLabelPrefix(readInput(env, 'label-prefix'), report) }
    : undefined
  // Overrides, labels and re-evaluation read (or write) the pull request even with comment: off.
  const readsPullRequest =
    overrides !== undefined || labels !== undefined || target.kind === 'recorded'
  const prNumber = parsePrNumber(env, comment !== 'off' || readsPullRequest, event, report)
  const commenting = comment !== 'off' && prNumber !== undefined
  if (commenting && !githubToken) {
    report(
      `Input \`github-token\` is empty but comment is "${comment}" on pull request #${prNumber}: ` +
        `pass a token with pull-requests: write (e.g. ${GITHUB_TOKEN_EXAMPLE}) or set comment: off.`
    )
  } else if (readsPullRequest && prNumber !== undefined && !githubToken) {
    report(
      `Input \`github-token\` is empty but overrides, labels or a re-evaluation need to read pull ` +
        `request #${prNumber}: pass a token (e.g. ${GITHUB_TOKEN_EXAMPLE}).`
    )
  }
  if (target.kind === 'recorded' && prNumber === undefined) {
    report(
      'A review or label event without run-id, plan-id or workspace re-evaluates the runs of the ' +
        "pull request's sticky comment, but the event names no pull request: give `pr-number`."
    )
  }
  const waitFor = parseChoice('wait-for', readInput(env, 'wait-for'), WAIT_FOR, report)
  // After the merge the pull requests come from the commit: the plan's comment stays as it was.
  const commentingOnPlan = commenting && waitFor !== 'apply'
  const pullRequestKnown = prNumber !== undefined && (commentingOnPlan || readsPullRequest)
  const repository = parseRepository(env.GITHUB_REPOSITORY?.trim() ?? '', pullRequestKnown, report)
  const apiUrl = trimUrl(env.GITHUB_API_URL, DEFAULT_GITHUB_API_URL)
  const githubServerUrl = trimUrl(env.GITHUB_SERVER_URL, DEFAULT_GITHUB_SERVER_URL)

  const settings: Settings = {
    token: token?.value ?? '',
    ...address,
    target,
    waitTimeoutMs,
    pollIntervalMs,
    waitFor,
    maxMonthlyCostIncrease: parseMaxCostIncrease(
      readInput(env, 'max-monthly-cost-increase'),
      report
    ),
    commitSha: parsePlannedCommit(env, event, target, report),
    repositoryUrl: repository
      ? `${githubServerUrl}/${repository.owner}/${repository.repo}`
      : undefined,
    commentLabel,
    comment:
      commentingOnPlan && repository
        ? {
            token: githubToken?.value ?? '',
            apiUrl,
            repository,
            prNumber,
            policy: comment,
            layout: commentMode,
            overflow: commentOverflow
          }
        : undefined,
    commentWithoutPullRequest: comment !== 'off' && prNumber === undefined && waitFor !== 'apply',
    failOn: parseFailOn(readInput(env, 'fail-on'), report),
    protect: splitList(readInput(env, 'protect')),
    details: parseBoolean('details', readInput(env, 'details'), report),
    groupBy: parseChoice('group-by', readInput(env, 'group-by'), GROUP_BY, report),
    hideAttributes: splitList(readInput(env, 'hide-attributes')),
    masks: parseMasks(readInput(env, 'mask'), report),
    sentinelMocks: parseChoice(
      'sentinel-mocks',
      readInput(env, 'sentinel-mocks'),
      SENTINEL_MOCKS_POLICIES,
      report
    ),
    sentinelMocksKeep: parseBoolean(
      'sentinel-mocks-keep',
      readInput(env, 'sentinel-mocks-keep'),
      report
    ),
    tempDir: env.RUNNER_TEMP?.trim() || os.tmpdir(),
    overrides,
    labels,
    pullRequest:
      prNumber !== undefined && repository && githubToken
        ? { token: githubToken.value, apiUrl, repository, number: prNumber }
        : undefined
  }
  settings.apply = parseApplySettings(
    env,
    settings,
    { comment, layout: commentMode, prNumber, githubToken: githubToken?.value, repository },
    report
  )
  if (problems.length > 0) throw new InputError(problems)
  return settings
}

/**
 * `core.getInput` semantics on an explicit environment: `INPUT_<NAME>` (dashes kept), trimmed,
 * empty meaning not given; then the action.yml default, if any.
 */
function readInput(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim()
  return value || (INPUT_DEFAULTS[name] ?? '')
}

/** The input, else the first environment variable that is set; undefined when none is. */
function readSourced(
  env: NodeJS.ProcessEnv,
  name: string,
  fallbacks: string[]
): Sourced | undefined {
  const value = readInput(env, name)
  if (value) return { value, label: `Input \`${name}\`` }
  for (const variable of fallbacks) {
    const fallback = env[variable]?.trim()
    if (fallback) return { value: fallback, label: `Input \`${name}\` (from ${variable})` }
  }
  return undefined
}

/**
 * Masked before anything else can print it, every piece too (the runner masks line by line).
 * Whitespace inside is a copy-paste slip that would only show later as a puzzling 401.
 */
function readSecret(
  env: NodeJS.ProcessEnv,
  name: string,
  fallbacks: string[],
  example: string,
  report: Report
): Sourced | undefined {
  const secret = readSourced(env, name, fallbacks)
  if (!secret) return undefined
  core.setSecret(secret.value)
  const pieces = secret.value.split(/\s+/)
  if (pieces.length > 1) {
    pieces.filter(piece => piece !== '').forEach(piece => core.setSecret(piece))
    report(
      `${secret.label} contains whitespace or a line break: give the token alone, e.g. ${example}.`
    )
  }
  return secret
}

/** `Input \`x\` is "bad": advice.` — the value quoted and shortened, so odd characters show. */
function badValue(label: string, value: string, advice: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value
  return `${label} is ${JSON.stringify(shown)}: ${advice}.`
}

/**
 * Comma or newline separated, trimmed, blanks and duplicates dropped (order kept). Commas inside
 * `[...]` stay, so an address pattern like `aws_s3_bucket.b["logs,archive"]` survives.
 */
export function splitList(text: string): string[] {
  const items: string[] = []
  let current = ''
  let depth = 0
  for (const char of text) {
    if (char === '\n' || char === '\r' || (char === ',' && depth === 0)) {
      items.push(current)
      current = ''
      depth = 0
      continue
    }
    if (char === '[') depth++
    else if (char === ']' && depth > 0) depth--
    current += char
  }
  items.push(current)
  return [...new Set(items.map(item => item.trim()).filter(item => item !== ''))]
}

function parseAddress(source: Sourced, report: Report): Pick<Settings, 'origin' | 'hostname'> {
  const parsed = parseHostname(source.value)
  if (typeof parsed === 'string') {
    report(badValue(source.label, source.value, parsed))
    return { origin: `https://${DEFAULT_HOSTNAME}`, hostname: DEFAULT_HOSTNAME }
  }
  return parsed
}

const HOST_NAME = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/
const IPV6 = /^\[[0-9a-f:.]+\]$/

/** The web origin and host[:port], or advice on what to write instead. */
function parseHostname(text: string): Pick<Settings, 'origin' | 'hostname'> | string {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
  let url: URL
  try {
    url = new URL(hasScheme ? text : `https://${text}`)
  } catch {
    return HOSTNAME_ADVICE
  }
  const extras = url.username || url.password || url.search || url.hash || /[?#]/.test(text)
  if (!['https:', 'http:'].includes(url.protocol) || extras) return HOSTNAME_ADVICE
  if (!HOST_NAME.test(url.hostname) && !IPV6.test(url.hostname)) return HOSTNAME_ADVICE
  if (!['/', '/api/v2', '/api/v2/'].includes(url.pathname)) {
    return `give the host without a path (only /api/v2 may follow it): ${HOSTNAME_ADVICE}`
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return (
      `the API token must travel over https, so http:// is accepted only for localhost, ` +
      `127.x.x.x and [::1]; use https://${url.host}`
    )
  }
  return { origin: url.origin, hostname: url.host }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** The three ways to name the runs, with what their entries look like. */
const TARGET_LISTS = {
  'run-id': { pattern: /^run-[A-Za-z0-9]{16}$/, example: 'run-CZcmD7eagjhyX0vN' },
  'plan-id': { pattern: /^plan-[A-Za-z0-9]{16}$/, example: 'plan-Vz6hsV3ujRzuDbCK' },
  workspace: { pattern: /^[A-Za-z0-9_*-]+$/, example: 'app-prod, app-*' }
} as const
type TargetInput = keyof typeof TARGET_LISTS
const ORGANIZATION_NAME = /^[A-Za-z0-9_-]+$/
const COMMIT_SHA = /^[0-9a-f]{40}$/i
const COMMIT_SHA_ADVICE =
  'use a full 40-character commit SHA, e.g. commit-sha: ${{ github.event.pull_request.head.sha }}'

function parseTarget(env: NodeJS.ProcessEnv, event: LazyEvent, report: Report): RunTarget {
  const names = Object.keys(TARGET_LISTS) as TargetInput[]
  const given = names.filter(name => readInput(env, name) !== '')
  if (given.length === 0 && isReevaluationEvent(env, event)) return { kind: 'recorded' }
  if (given.length !== 1) {
    const got =
      given.length === 0 ? 'none was given' : `got ${joinWords(given.map(quoteName), 'and')}`
    report(
      `Give exactly one of the inputs ${joinWords(names.map(quoteName), 'and')} (${got}), ` +
        `e.g. run-id: ${TARGET_LISTS['run-id'].example}.`
    )
    return { kind: 'runs', runIds: [] }
  }
  const [name] = given
  const items = parseList(name, readInput(env, name), TARGET_LISTS[name], report)
  if (name === 'run-id') return { kind: 'runs', runIds: items }
  if (name === 'plan-id') return { kind: 'plans', planIds: items }
  return {
    kind: 'discover',
    workspaces: items,
    organization: parseOrganization(env, report),
    commitSha: parseCommitSha(env, event, report)
  }
}

/** `a, b or c` */
function joinWords(words: readonly string[], conjunction: 'and' | 'or'): string {
  return words.length < 2
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`
}

function quoteName(name: string): string {
  return `\`${name}\``
}

/** A list whose every entry must match `pattern`; the bad entries are named in one problem. */
function parseList(
  name: string,
  text: string,
  { pattern, example }: { pattern: RegExp; example: string },
  report: Report
): string[] {
  const items = splitList(text)
  const bad = items.filter(item => !pattern.test(item))
  if (items.length === 0 || bad.length > 0) {
    report(
      badValue(
        `Input \`${name}\``,
        bad.length > 0 ? bad.join(', ') : text,
        `use one or more, comma or newline separated, like ${example}`
      )
    )
  }
  return items
}

function parseOrganization(env: NodeJS.ProcessEnv, report: Report): string {
  const organization = readSourced(env, 'organization', ['TF_CLOUD_ORGANIZATION'])
  if (!organization) {
    report(
      'Input `organization` is missing: it is required with `workspace`; set it ' +
        '(e.g. organization: my-org) or TF_CLOUD_ORGANIZATION.'
    )
    return ''
  }
  if (!ORGANIZATION_NAME.test(organization.value)) {
    report(badValue(organization.label, organization.value, 'use an organization name like my-org'))
  }
  return organization.value
}

/** The PR's head commit: HCP Terraform plans it, while GITHUB_SHA is GitHub's merge commit there. */
function parseCommitSha(env: NodeJS.ProcessEnv, event: LazyEvent, report: Report): string {
  const given = readInput(env, 'commit-sha')
  const source: Sourced | undefined = given
    ? { value: given, label: 'Input `commit-sha`' }
    : defaultCommitSha(env, event, report)
  if (!source) {
    report(
      `Input \`commit-sha\` is missing: it is needed with \`workspace\`; ${COMMIT_SHA_ADVICE}.`
    )
    return ''
  }
  if (!COMMIT_SHA.test(source.value)) {
    report(badValue(source.label, source.value, COMMIT_SHA_ADVICE))
  }
  return source.value.toLowerCase()
}

/**
 * The commit the plan is for, when the job knows it: commit-sha, else the pull request's head in
 * the event. (GITHUB_SHA is not: on pull requests it is GitHub's merge commit, elsewhere a branch.)
 */
function parsePlannedCommit(
  env: NodeJS.ProcessEnv,
  event: LazyEvent,
  target: RunTarget,
  report: Report
): string | undefined {
  const given = readInput(env, 'commit-sha')
  if (given) {
    // With `workspace`, parseCommitSha has checked it already.
    const valid = COMMIT_SHA.test(given)
    if (!valid && target.kind !== 'discover') {
      report(badValue('Input `commit-sha`', given, COMMIT_SHA_ADVICE))
    }
    return valid ? given.toLowerCase() : undefined
  }
  const path = eventCommitPath(env)
  if (!path) return undefined
  const loaded = event()
  const head = 'payload' in loaded ? field(loaded.payload, ...path) : undefined
  return typeof head === 'string' && COMMIT_SHA.test(head) ? head.toLowerCase() : undefined
}

/**
 * Where the event names the commit planned: a pull request's head, or a merge queue's commit
 * (merge_group has no pull request, and GITHUB_SHA is that same commit there).
 */
function eventCommitPath(env: NodeJS.ProcessEnv): string[] | undefined {
  if (isPullRequestEvent(env)) return ['pull_request', 'head', 'sha']
  if (env.GITHUB_EVENT_NAME === 'merge_group') return ['merge_group', 'head_sha']
  return undefined
}

/**
 * `wait-for: apply`: the applied commit and where the apply is reported on GitHub; undefined
 * otherwise. The apply's inputs without wait-for: apply, and plan IDs with it, are problems.
 */
function parseApplySettings(
  env: NodeJS.ProcessEnv,
  settings: Settings,
  where: {
    comment: CommentPolicy
    layout: CommentLayout
    prNumber: number | undefined
    githubToken: string | undefined
    repository: Repository | undefined
  },
  report: Report
): ApplySettings | undefined {
  const { comment, repository, githubToken } = where
  const commitStatus = parseBoolean('commit-status', readInput(env, 'commit-status'), report)
  if (settings.waitFor !== 'apply') {
    if (commitStatus || settings.failOn.includes('unapplied')) {
      const [name, given] = commitStatus
        ? ['commit-status', 'commit-status: true']
        : ['fail-on', 'fail-on: unapplied']
      report(`Input \`${name}\` (${given}) is about the apply: it needs wait-for: apply.`)
    }
    return undefined
  }
  if (settings.target.kind === 'plans') {
    report(
      'Input `wait-for` is "apply" but `plan-id` names plans, which have no apply: give `run-id` ' +
        'or `workspace` instead, or use wait-for: run.'
    )
  }
  const writing = repository && githubToken
  if ((commitStatus || comment !== 'off') && !writing) {
    const needs = commitStatus ? 'commit-status: true' : `comment: ${comment}`
    report(
      `${needs} with wait-for: apply writes on GitHub: it needs GITHUB_REPOSITORY (the runner ` +
        `sets it) and \`github-token\` (e.g. ${GITHUB_TOKEN_EXAMPLE}); or set comment: off.`
    )
  }
  return {
    commitSha: settings.commitSha ?? parseAppliedCommit(env, settings.target, report),
    github: writing
      ? {
          token: githubToken,
          apiUrl: trimUrl(env.GITHUB_API_URL, DEFAULT_GITHUB_API_URL),
          repository
        }
      : undefined,
    comment: comment === 'off' ? undefined : comment,
    layout: where.layout,
    prNumber: where.prNumber,
    commitStatus
  }
}

/**
 * The commit an apply is for, outside pull requests: the pushed commit (GITHUB_SHA), which with
 * `workspace` is the one whose run was looked up.
 */
function parseAppliedCommit(
  env: NodeJS.ProcessEnv,
  target: RunTarget,
  report: Report
): string | undefined {
  if (target.kind === 'discover') return target.commitSha || undefined
  const sha = env.GITHUB_SHA?.trim() ?? ''
  if (sha === '') return undefined
  if (!COMMIT_SHA.test(sha)) {
    report(badValue('GITHUB_SHA', sha, COMMIT_SHA_ADVICE))
    return undefined
  }
  return sha.toLowerCase()
}

function defaultCommitSha(
  env: NodeJS.ProcessEnv,
  event: LazyEvent,
  report: Report
): Sourced | undefined {
  const path = eventCommitPath(env)
  if (path) {
    const loaded = event()
    if ('problem' in loaded) {
      report(`${loaded.problem}; it is needed for the commit to plan: give \`commit-sha\`.`)
      return undefined
    }
    const head = field(loaded.payload, ...path)
    if (typeof head === 'string' && head) {
      return { value: head, label: `Input \`commit-sha\` (from the event ${path.join('.')})` }
    }
  }
  const sha = env.GITHUB_SHA?.trim()
  return sha ? { value: sha, label: 'Input `commit-sha` (from GITHUB_SHA)' } : undefined
}

function parseWaitTimeout(text: string, report: Report): number {
  const ms = parseDuration(text)
  const label = 'Input `wait-timeout`'
  if (ms === undefined) report(badValue(label, text, DURATION_ADVICE))
  else if (ms === 0) report(badValue(label, text, `it must be more than 0; ${DURATION_ADVICE}`))
  else if (ms > MAX_WAIT_MS) {
    report(badValue(label, text, `the longest useful wait is 6h, GitHub's job limit; e.g. 1h`))
  } else return ms
  return MAX_WAIT_MS
}

function parsePollInterval(text: string, waitTimeoutMs: number, report: Report): number {
  const ms = parseDuration(text)
  const label = 'Input `poll-interval`'
  if (ms === undefined) report(badValue(label, text, DURATION_ADVICE))
  else if (ms < MIN_POLL_MS || ms > MAX_POLL_MS) {
    report(badValue(label, text, 'use a duration between 1s and 5m, e.g. 3s'))
  } else if (ms > waitTimeoutMs) {
    report(badValue(label, text, 'it must not be longer than wait-timeout; e.g. 3s'))
  } else return ms
  return MIN_POLL_MS
}

/** One of `choices` (case-insensitive); the keys are what users write, the values what we keep. */
function parseChoice<T extends string>(
  name: string,
  text: string,
  choices: Readonly<Record<string, T>>,
  report: Report
): T {
  const choice = Object.hasOwn(choices, text.toLowerCase())
    ? choices[text.toLowerCase()]
    : undefined
  if (choice !== undefined) return choice
  const keys = Object.keys(choices)
  report(
    badValue(`Input \`${name}\``, text, `use ${joinWords(keys, 'or')}, e.g. ${name}: ${keys[0]}`)
  )
  return Object.values(choices)[0]
}

function parseBoolean(name: string, text: string, report: Report): boolean {
  return parseChoice(name, text, { true: 'true', false: 'false' }, report) === 'true'
}

function parseCommentLabel(text: string, report: Report): string {
  if (/[\r\n]/.test(text) || text.length > MAX_LABEL_LENGTH) {
    report(
      badValue(
        'Input `comment-label`',
        text,
        `use one line of at most ${MAX_LABEL_LENGTH} characters, e.g. staging`
      )
    )
  }
  return text
}

function parseMasks(text: string, report: Report): RegExp[] {
  const { patterns, problems } = compileMasks(text)
  problems.forEach(report)
  return patterns
}

/** A plain amount of USD: digits with an optional fraction, no sign, unit or exponent. */
function parseMaxCostIncrease(text: string, report: Report): string | undefined {
  if (text === '') return undefined
  const amount = text.replace(/^\$/, '')
  if (!/^\d+(\.\d+)?$/.test(amount)) {
    report(
      badValue(
        'Input `max-monthly-cost-increase`',
        text,
        'use a number of USD a month, e.g. 100 or 12.50, or leave it empty for no limit'
      )
    )
    return undefined
  }
  return amount
}

function parseFailOn(text: string, report: Report): FailCondition[] {
  const words = splitList(text.toLowerCase())
  const unknown = words.filter(word => !(FAIL_CONDITIONS as readonly string[]).includes(word))
  const valid = `use ${joinWords(FAIL_CONDITIONS, 'or')}, comma separated, e.g. errored,destroy`
  if (unknown.length > 0 || words.length === 0) {
    report(badValue('Input `fail-on`', unknown.join(', ') || text, valid))
    return []
  }
  if (words.includes('none') && words.length > 1) {
    report(badValue('Input `fail-on`', text, '`none` cannot be combined with other conditions'))
  }
  return words as FailCondition[]
}

/**
 * override-approvers, override-label and override-for; undefined when neither approvers nor a
 * label are given (override-for alone waives nothing, but is still checked).
 */
function parseOverrides(env: NodeJS.ProcessEnv, report: Report): OverrideSettings | undefined {
  const approverTexts = splitList(readInput(env, 'override-approvers'))
  const approvers: Approver[] = []
  const badApprovers: string[] = []
  for (const text of approverTexts) {
    const approver = parseApprover(text)
    if (approver) approvers.push(approver)
    else badApprovers.push(text)
  }
  if (badApprovers.length > 0) {
    report(
      badValue(
        'Input `override-approvers`',
        badApprovers.join(', '),
        'use GitHub logins and teams, comma or newline separated, e.g. alice, @octo-org/platform'
      )
    )
  }
  const label = readInput(env, 'override-label')
  if (/[\r\n,]/.test(label) || label.length > MAX_GITHUB_LABEL_LENGTH) {
    report(
      badValue(
        'Input `override-label`',
        label,
        `use one label name of at most ${MAX_GITHUB_LABEL_LENGTH} characters, e.g. terraform-allow-destroy`
      )
    )
  }
  const waivable = parseOverrideFor(readInput(env, 'override-for'), report)
  if (approvers.length === 0 && label === '') return undefined
  return { approvers, label: label || undefined, waivable }
}

/** Conditions HCP Terraform owns, or a plan that is broken: never waived by a review or label. */
const NEVER_WAIVED: Readonly<Record<string, string>> = {
  errored: 'a plan or run that errored cannot be approved',
  policy: 'mandatory policies are overridden in HCP Terraform, not here',
  'run-task': 'mandatory run tasks are overridden in HCP Terraform, not here'
}

function parseOverrideFor(text: string, report: Report): WaivableCondition[] {
  const words = splitList(text.toLowerCase())
  const label = 'Input `override-for`'
  const never = words.filter(word => Object.hasOwn(NEVER_WAIVED, word))
  for (const word of never) {
    report(badValue(label, word, `${NEVER_WAIVED[word]}; leave it out`))
  }
  const unknown = words.filter(
    word =>
      !Object.hasOwn(NEVER_WAIVED, word) &&
      !(WAIVABLE_CONDITIONS as readonly string[]).includes(word)
  )
  if (unknown.length > 0 || words.length === 0) {
    report(
      badValue(
        label,
        unknown.join(', ') || text,
        `use ${joinWords(WAIVABLE_CONDITIONS, 'or')}, comma separated, e.g. destroy,replace`
      )
    )
  }
  return words.filter((word): word is WaivableCondition =>
    (WAIVABLE_CONDITIONS as readonly string[]).includes(word)
  )
}

function parseLabelPrefix(text: string, report: Report): string {
  // The longest label of the set is `<prefix>policy-failed`.
  const longest = MAX_GITHUB_LABEL_LENGTH - 'policy-failed'.length
  if (/[\r\n,]/.test(text) || text.length > longest) {
    report(
      badValue(
        'Input `label-prefix`',
        text,
        `use one line of at most ${longest} characters without commas, e.g. terraform:`
      )
    )
  }
  return text
}

/**
 * An explicit pr-number, else the PR of the event; undefined (no comment) when there is none. An
 * unreadable event file matters only when a comment is wanted (`commentWanted`).
 */
function parsePrNumber(
  env: NodeJS.ProcessEnv,
  commentWanted: boolean,
  event: LazyEvent,
  report: Report
): number | undefined {
  const given = readInput(env, 'pr-number')
  if (given) {
    const number = /^\d+$/.test(given) ? Number(given) : NaN
    if (Number.isSafeInteger(number) && number > 0) return number
    report(badValue('Input `pr-number`', given, 'use a pull request number like 42'))
    return undefined
  }
  const fromPullRequest = isPullRequestEvent(env)
  if (!fromPullRequest && env.GITHUB_EVENT_NAME !== 'issue_comment') return undefined
  const loaded = event()
  if ('problem' in loaded) {
    if (commentWanted) {
      report(
        `${loaded.problem}; it is needed to find the pull request: give \`pr-number\` or set comment: off.`
      )
    }
    return undefined
  }
  // issue_comment fires for issues too; only a pull request's issue has `pull_request`.
  const number = fromPullRequest
    ? field(loaded.payload, 'pull_request', 'number')
    : field(loaded.payload, 'issue', 'pull_request') != null
      ? field(loaded.payload, 'issue', 'number')
      : undefined
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0
    ? number
    : undefined
}

function parseRepository(text: string, needed: boolean, report: Report): Repository | undefined {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(text)
  if (match) return { owner: match[1], repo: match[2] }
  if (needed) {
    report(
      badValue(
        'GITHUB_REPOSITORY',
        text,
        'the runner sets it to owner/repo; it is needed for the comment'
      )
    )
  }
  return undefined
}

/** A URL from the environment without trailing slashes, else the default. */
function trimUrl(value: string | undefined, fallback: string): string {
  return (value?.trim() || fallback).replace(/\/+$/, '')
}

/**
 * A review submitted, edited or dismissed, or a label added or removed: the verdicts changed, the
 * plan did not. Without run-id, plan-id and workspace the sticky comment's runs are re-evaluated.
 */
function isReevaluationEvent(env: NodeJS.ProcessEnv, event: LazyEvent): boolean {
  const name = env.GITHUB_EVENT_NAME ?? ''
  if (name === 'pull_request_review') return true
  if (name !== 'pull_request' && name !== 'pull_request_target') return false
  const loaded = event()
  const action = 'payload' in loaded ? field(loaded.payload, 'action') : undefined
  return action === 'labeled' || action === 'unlabeled'
}

/** pull_request, pull_request_target, pull_request_review(_comment): payloads with `pull_request`. */
function isPullRequestEvent(env: NodeJS.ProcessEnv): boolean {
  return (env.GITHUB_EVENT_NAME ?? '').startsWith('pull_request')
}

type LoadedEvent = { payload: unknown } | { problem: string }
type LazyEvent = () => LoadedEvent

/** Read only when a value depends on it, so a broken event file hurts only when it matters. */
function lazyEvent(env: NodeJS.ProcessEnv): LazyEvent {
  let loaded: LoadedEvent | undefined
  return () => (loaded ??= readEventFile(env.GITHUB_EVENT_PATH?.trim() ?? ''))
}

function readEventFile(eventPath: string): LoadedEvent {
  if (!eventPath) return { problem: 'GITHUB_EVENT_PATH is not set' }
  try {
    return { payload: JSON.parse(fs.readFileSync(eventPath, 'utf8')) as unknown }
  } catch (error) {
    return {
      problem: `The event file (GITHUB_EVENT_PATH) could not be read: ${errorMessage(error)}`
    }
  }
}

/** A nested field of parsed JSON, or undefined when any step is missing. */
function field(value: unknown, ...keys: string[]): unknown {
  let current = value
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}
