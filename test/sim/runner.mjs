// Runs the action's bundle the way the GitHub Actions runner does: inputs as INPUT_<NAME> with
// action.yml's defaults, the event file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, a fresh
// RUNNER_TEMP and a clean environment; then reads back what the step wrote. Shared by the e2e
// harness and `npm run demo`.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const ACTION_ENTRY = path.join(PROJECT_ROOT, 'dist', 'index.js')
export const REPOSITORY = 'octo/infra'
export const PR_NUMBER = 7
export const HEAD_SHA = '7a6c1f0e9d8b7a6c5f4e3d2c1b0a9f8e7d6c5b4a'
/** GitHub's merge commit for the PR: what GITHUB_SHA holds on pull_request events. */
export const MERGE_SHA = 'f00dfacef00dfacef00dfacef00dfacef00dface'
/** The workflow token the runner puts in `${{ github.token }}`. */
export const GITHUB_TOKEN = 'ghs_simulatedWorkflowToken0000000000000'
/** Nothing listens here: an action that ignores GITHUB_API_URL fails fast instead of leaving loopback. */
const UNREACHABLE_API = 'http://127.0.0.1:9'

/**
 * A `pull_request` event payload as GitHub writes it to GITHUB_EVENT_PATH (`action` labeled or
 * unlabeled with `label`; `pull_request_review` payloads have the same pull_request).
 * @param {{ number?: number, headSha?: string, repository?: string, fork?: boolean, action?: string, label?: string }} [options]
 */
export function pullRequestEvent(options = {}) {
  const { number = PR_NUMBER, headSha = HEAD_SHA, repository = REPOSITORY, fork = false } = options
  const { action = 'synchronize', label } = options
  const [owner, name] = repository.split('/')
  const headRepository = fork ? `contributor/${name}` : repository
  const repo = (/** @type {string} */ fullName) => ({
    full_name: fullName,
    name,
    owner: { login: fullName.split('/')[0] },
    fork: fullName !== repository
  })
  return {
    action,
    ...(label !== undefined && { label: { name: label } }),
    number,
    pull_request: {
      number,
      state: 'open',
      title: 'Change the network',
      html_url: `https://github.com/${repository}/pull/${number}`,
      head: { ref: 'feature/network', sha: headSha, repo: repo(headRepository) },
      base: { ref: 'main', sha: 'b'.repeat(40), repo: repo(repository) },
      user: { login: 'octocat' }
    },
    repository: { ...repo(repository), owner: { login: owner } },
    sender: { login: 'octocat', type: 'User' }
  }
}

/**
 * A `merge_group` event: a merge queue tests `headSha`, the queue branch's commit. No pull request.
 * @param {{ headSha?: string, repository?: string }} [options]
 */
export function mergeGroupEvent(options = {}) {
  const { headSha = HEAD_SHA, repository = REPOSITORY } = options
  return {
    action: 'checks_requested',
    merge_group: {
      head_sha: headSha,
      head_ref: `refs/heads/gh-readonly-queue/main/pr-${PR_NUMBER}-${headSha}`,
      base_sha: 'b'.repeat(40),
      base_ref: 'refs/heads/main'
    },
    repository: { full_name: repository, name: repository.split('/')[1] },
    sender: { login: 'octocat', type: 'User' }
  }
}

/**
 * Input defaults from action.yml, with `${{ github.token }}` resolved as the runner does.
 * Handles the plain, single- and double-quoted scalars action.yml uses.
 * @param {string} actionYml @param {string} githubToken
 * @returns {Record<string, string>}
 */
export function actionInputDefaults(actionYml, githubToken) {
  /** @type {Record<string, string>} */
  const defaults = {}
  let inInputs = false
  let current = ''
  for (const line of actionYml.split(/\r?\n/)) {
    if (/^\S/.test(line)) inInputs = line.startsWith('inputs:')
    if (!inInputs) continue
    const input = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line)
    if (input) current = input[1]
    const value = /^ {4}default:\s*(.*)$/.exec(line)
    if (value && current) {
      defaults[current] = yamlScalar(value[1]).replace(
        /\$\{\{\s*github\.token\s*\}\}/g,
        githubToken
      )
    }
  }
  return defaults
}

/** @param {string} text */
function yamlScalar(text) {
  const trimmed = text.trim()
  if (trimmed.startsWith("'")) return trimmed.slice(1, -1).replaceAll("''", "'")
  if (trimmed.startsWith('"')) return JSON.parse(trimmed)
  return trimmed.replace(/\s+#.*$/, '')
}

/**
 * Parses a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` heredocs.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseGithubOutput(text) {
  /** @type {Record<string, string>} */
  const outputs = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const end = lines.indexOf(delimiter, i + 1)
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`)
      outputs[name] = lines.slice(i + 1, end).join('\n')
      i = end
      continue
    }
    const equals = line.indexOf('=')
    if (equals <= 0) throw new Error(`GITHUB_OUTPUT: malformed line ${JSON.stringify(line)}`)
    outputs[line.slice(0, equals)] = line.slice(equals + 1)
  }
  return outputs
}

/**
 * Workflow commands the step printed (`::error::`, `::warning file=x::`, `::add-mask::`...).
 * @param {string} stdout
 * @returns {WorkflowCommands}
 */
export function parseWorkflowCommands(stdout) {
  /** @type {WorkflowCommands} */
  const commands = { errors: [], warnings: [], notices: [], masks: [] }
  const lists = { error: commands.errors, warning: commands.warnings, notice: commands.notices }
  for (const line of stdout.split(/\r?\n/)) {
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line)
    if (!command) continue
    const [, name, data] = command
    const message = unescapeCommandData(data)
    if (name === 'add-mask') commands.masks.push(message)
    else if (name in lists) lists[/** @type {keyof typeof lists} */ (name)].push(message)
  }
  return commands
}

/**
 * The step's log as the runner displays it: `::add-mask::` commands consumed and every masked
 * value replaced by `***`.
 * @param {string} output @param {string[]} masks
 */
export function maskedLog(output, masks) {
  const shown = output
    .split(/\r?\n/)
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  return masks
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .reduce((log, secret) => log.replaceAll(secret, '***'), shown)
}

/** Reverses @actions/core's escaping of command data. @param {string} data */
function unescapeCommandData(data) {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/**
 * @typedef {object} WorkflowCommands
 * @property {string[]} errors
 * @property {string[]} warnings
 * @property {string[]} notices
 * @property {string[]} masks values registered with ::add-mask::
 */

/**
 * @typedef {object} RunOptions
 * @property {Record<string, string>} inputs `with:` values; action.yml defaults fill the rest,
 *   as on the runner
 * @property {Record<string, string>} [env] extra environment (the step's `env:`); nothing else is
 *   inherited but PATH
 * @property {object} [event] event payload; default: pullRequestEvent() for pull_request* events,
 *   else {}
 * @property {string} [eventName] default pull_request
 * @property {string} [githubApiUrl] GITHUB_API_URL; default: a closed loopback port
 * @property {string} [githubToken] what `${{ github.token }}` resolves to
 * @property {number} [timeoutMs] kill the step with SIGKILL after this long (default 60 s)
 * @property {{ name: 'SIGINT' | 'SIGTERM', afterMs: number }} [signal] send a signal to the step
 *   after a while (cancellation)
 * @property {string} [entry] script to run; default dist/index.js
 */

/**
 * @typedef {object} StepExit
 * @property {number | null} code
 * @property {string | null} signal
 * @property {boolean} timedOut
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * What the runner reads back after the step.
 * @typedef {object} StepReadBack
 * @property {string} log stdout and stderr as the runner displays them: add-mask commands
 *   consumed, masked values ***
 * @property {Record<string, string>} outputs
 * @property {string} summary
 * @property {WorkflowCommands} annotations
 * @property {string} runnerTemp
 * @property {string} workDir holds RUNNER_TEMP, the workspace and the runner files; the caller
 *   removes it
 * @property {number} durationMs
 */

/** @typedef {StepExit & StepReadBack} RunResult */

/**
 * The part of a pull_request event the runner's variables come from.
 * @typedef {{ number: number, head?: { ref?: string }, base?: { ref?: string } }} PullRequestPayload
 */

/**
 * Runs `node dist/index.js` as one workflow step.
 * @param {RunOptions} options
 * @returns {Promise<RunResult>}
 */
export async function runAction(options) {
  const workDir = await mkdtemp(path.join(tmpdir(), 'tfc-plan-summary-step-'))
  const files = {
    output: path.join(workDir, 'github_output'),
    summary: path.join(workDir, 'step_summary'),
    state: path.join(workDir, 'github_state'),
    env: path.join(workDir, 'github_env'),
    path: path.join(workDir, 'github_path'),
    event: path.join(workDir, 'event.json')
  }
  const dirs = {
    runnerTemp: path.join(workDir, 'runner_temp'),
    workspace: path.join(workDir, 'workspace'),
    home: path.join(workDir, 'home'),
    toolCache: path.join(workDir, 'tool_cache')
  }
  await Promise.all(Object.values(dirs).map(dir => mkdir(dir, { recursive: true })))
  const eventName = options.eventName ?? 'pull_request'
  const event = options.event ?? (eventName.startsWith('pull_request') ? pullRequestEvent() : {})
  await Promise.all([
    writeFile(files.event, JSON.stringify(event, null, 2)),
    ...[files.output, files.summary, files.state, files.env, files.path].map(file =>
      writeFile(file, '')
    )
  ])

  const githubToken = options.githubToken ?? GITHUB_TOKEN
  const githubApiUrl = options.githubApiUrl ?? UNREACHABLE_API
  const defaults = actionInputDefaults(
    await readFile(path.join(PROJECT_ROOT, 'action.yml'), 'utf8'),
    githubToken
  )
  const inputs = Object.fromEntries(
    Object.entries({ ...defaults, ...options.inputs }).map(([name, value]) => [
      `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
      value
    ])
  )
  const pullRequest = /** @type {{ pull_request?: PullRequestPayload }} */ (event).pull_request
  const mergeGroup = /** @type {{ merge_group?: { head_sha?: string, head_ref?: string } }} */ (
    event
  ).merge_group
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dirs.home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__tfc-plan-summary',
    GITHUB_ACTOR: 'octocat',
    GITHUB_API_URL: githubApiUrl,
    GITHUB_GRAPHQL_URL: `${githubApiUrl}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_JOB: 'plan',
    GITHUB_REF: pullRequest
      ? `refs/pull/${pullRequest.number}/merge`
      : (mergeGroup?.head_ref ?? 'refs/heads/main'),
    GITHUB_REF_NAME: pullRequest ? `${pullRequest.number}/merge` : 'main',
    GITHUB_HEAD_REF: pullRequest?.head?.ref ?? '',
    GITHUB_BASE_REF: pullRequest?.base?.ref ?? '',
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: REPOSITORY.split('/')[0],
    GITHUB_RUN_ID: '4242424242',
    GITHUB_RUN_NUMBER: '17',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: pullRequest ? MERGE_SHA : (mergeGroup?.head_sha ?? HEAD_SHA),
    GITHUB_WORKFLOW: 'terraform',
    GITHUB_WORKSPACE: dirs.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    RUNNER_TEMP: dirs.runnerTemp,
    RUNNER_TOOL_CACHE: dirs.toolCache,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'simulated-runner',
    ...inputs,
    ...options.env
  }

  const started = Date.now()
  const exit = await spawnStep(options.entry ?? ACTION_ENTRY, env, dirs.workspace, options)
  const [outputText, summary] = await Promise.all([
    readFile(files.output, 'utf8'),
    readFile(files.summary, 'utf8')
  ])
  const annotations = parseWorkflowCommands(exit.stdout)
  return {
    ...exit,
    log: maskedLog(`${exit.stdout}${exit.stderr}`, annotations.masks),
    outputs: parseGithubOutput(outputText),
    summary,
    annotations,
    runnerTemp: dirs.runnerTemp,
    workDir,
    durationMs: Date.now() - started
  }
}

/**
 * @param {string} entry @param {Record<string, string>} env @param {string} cwd @param {RunOptions} options
 * @returns {Promise<StepExit>}
 */
function spawnStep(entry, env, cwd, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', chunk => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', chunk => (stderr += chunk))
    const signalTimer = options.signal
      ? setTimeout(() => child.kill(options.signal?.name), options.signal.afterMs)
      : undefined
    const killTimer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(signalTimer)
      clearTimeout(killTimer)
      resolve({ code, signal, timedOut, stdout, stderr })
    })
  })
}
