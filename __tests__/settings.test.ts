import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { getSettings, InputError, splitList } from '../src/settings.js'
import type { Settings } from '../src/settings.js'
import { readActionYml } from './helpers/action-yml.js'
import { captureStdout } from './helpers/capture-stdout.js'

const TOKEN = 'Xq7pT2.atlasv1.zzUniqueTokenValue9'
const RUN_ID = 'run-CZcmD7eagjhyX0vN'
const HEAD_SHA = 'a'.repeat(40)
const MERGE_SHA = 'b'.repeat(40)

const eventDir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-test-'))
afterAll(() => fs.rmSync(eventDir, { recursive: true, force: true }))

/** Writes an event payload file and returns its path. */
function eventFile(name: string, payload: unknown): string {
  const file = path.join(eventDir, `${name}.json`)
  fs.writeFileSync(file, typeof payload === 'string' ? payload : JSON.stringify(payload))
  return file
}

/** Inputs by their action.yml names; everything else is taken as an environment variable. */
function envOf(
  inputs: Record<string, string>,
  vars: Record<string, string> = {}
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  return { ...env, ...vars }
}

function settingsOf(inputs: Record<string, string>, vars: Record<string, string> = {}): Settings {
  return getSettings(envOf({ token: TOKEN, 'run-id': RUN_ID, ...inputs }, vars))
}

/** The InputError thrown for these inputs (fails the test when nothing is thrown). */
function problemsOf(inputs: Record<string, string>, vars: Record<string, string> = {}): InputError {
  try {
    settingsOf(inputs, vars)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    const inputError = error as InputError
    expect(inputError.message).not.toContain(TOKEN)
    return inputError
  }
  throw new Error('expected an InputError')
}

let stdout: string[]
beforeEach(() => {
  stdout = captureStdout()
})
afterEach(() => {
  jest.restoreAllMocks()
})

const masked = (): string[] =>
  stdout
    .flatMap(chunk => chunk.split(os.EOL))
    .flatMap(line => {
      const match = /^::add-mask::(.*)$/.exec(line)
      return match ? [match[1]] : []
    })

describe('getSettings defaults', () => {
  it('gives every optional input its documented default', () => {
    const settings = getSettings(envOf({ token: TOKEN, 'run-id': RUN_ID }))
    expect(settings).toEqual({
      token: TOKEN,
      origin: 'https://app.terraform.io',
      hostname: 'app.terraform.io',
      target: { kind: 'runs', runIds: [RUN_ID] },
      waitTimeoutMs: 30 * 60_000,
      pollIntervalMs: 3000,
      waitFor: 'run',
      maxMonthlyCostIncrease: undefined,
      commitSha: undefined,
      repositoryUrl: undefined,
      commentLabel: '',
      comment: undefined,
      commentWithoutPullRequest: true,
      // The whole run gates by default: a policy or run task HCP Terraform failed fails the step.
      failOn: ['errored', 'policy', 'run-task'],
      protect: [],
      details: true,
      groupBy: 'action',
      hideAttributes: [],
      masks: [],
      sentinelMocks: 'off',
      sentinelMocksKeep: false,
      tempDir: os.tmpdir()
    })
  })

  it('agrees with the defaults written in action.yml', () => {
    const defaults = [...readActionYml().inputs].filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[1].startsWith('${{')
    )
    expect(defaults.length).toBeGreaterThanOrEqual(8)
    const explicit = Object.fromEntries(defaults)
    expect(settingsOf(explicit)).toEqual(settingsOf({}))
  })

  it('treats blank inputs as not given', () => {
    expect(settingsOf({ 'wait-timeout': '  ', comment: '', 'fail-on': '\n' })).toEqual(
      settingsOf({})
    )
  })
})

describe('token', () => {
  it('reads the input, trimmed, and masks it', () => {
    expect(settingsOf({ token: `  ${TOKEN}\n` }).token).toBe(TOKEN)
    expect(masked()).toContain(TOKEN)
  })

  it('falls back to TF_API_TOKEN, then TFE_TOKEN', () => {
    const base = { 'INPUT_RUN-ID': RUN_ID }
    expect(getSettings({ ...base, TF_API_TOKEN: 'from-tf', TFE_TOKEN: 'from-tfe' }).token).toBe(
      'from-tf'
    )
    expect(getSettings({ ...base, TFE_TOKEN: 'from-tfe' }).token).toBe('from-tfe')
    expect(getSettings({ ...base, INPUT_TOKEN: 'input', TF_API_TOKEN: 'from-tf' }).token).toBe(
      'input'
    )
    expect(masked()).toEqual(expect.arrayContaining(['from-tf', 'from-tfe', 'input']))
  })

  it('is required, naming the input and the environment variable', () => {
    const error = problemsOf({ token: '' })
    expect(error.problems).toHaveLength(1)
    expect(error.message).toMatch(/^Input `token` is missing/)
    expect(error.message).toContain('TF_API_TOKEN')
    expect(error.message).toContain('${{ secrets.TF_API_TOKEN }}')
  })

  it('rejects whitespace inside without printing the token, and masks every piece', () => {
    const pasted = 'firstHalfOfToken\nsecondHalfOfToken'
    const error = problemsOf({ token: pasted })
    expect(error.message).toMatch(/^Input `token` contains whitespace or a line break/)
    expect(error.message).not.toContain('firstHalfOfToken')
    expect(error.message).not.toContain('secondHalfOfToken')
    expect(masked()).toEqual(expect.arrayContaining(['firstHalfOfToken', 'secondHalfOfToken']))
  })

  it('names the fallback variable when that is where the bad token came from', () => {
    const error = problemsOf({ token: '' }, { TF_API_TOKEN: 'two words' })
    expect(error.message).toContain('Input `token` (from TF_API_TOKEN) contains whitespace')
    expect(error.message).not.toContain('two words')
  })
})

describe('hostname', () => {
  it.each([
    ['app.terraform.io', 'https://app.terraform.io', 'app.terraform.io'],
    ['tfe.example.com:8443', 'https://tfe.example.com:8443', 'tfe.example.com:8443'],
    ['https://tfe.example.com', 'https://tfe.example.com', 'tfe.example.com'],
    ['https://tfe.example.com/', 'https://tfe.example.com', 'tfe.example.com'],
    ['https://tfe.example.com:8443/api/v2', 'https://tfe.example.com:8443', 'tfe.example.com:8443'],
    ['https://tfe.example.com/api/v2/', 'https://tfe.example.com', 'tfe.example.com'],
    ['HTTPS://TFE.Example.COM', 'https://tfe.example.com', 'tfe.example.com'],
    ['https://tfe.example.com:443', 'https://tfe.example.com', 'tfe.example.com'],
    ['http://localhost:8080', 'http://localhost:8080', 'localhost:8080'],
    ['http://127.0.0.1:35123/', 'http://127.0.0.1:35123', '127.0.0.1:35123'],
    ['http://[::1]:9000', 'http://[::1]:9000', '[::1]:9000'],
    ['10.0.0.5:8443', 'https://10.0.0.5:8443', '10.0.0.5:8443']
  ])('reads %j as %s', (hostname, origin, host) => {
    const settings = settingsOf({ hostname })
    expect(settings.origin).toBe(origin)
    expect(settings.hostname).toBe(host)
  })

  it('falls back to TF_HOSTNAME, then TFE_HOSTNAME', () => {
    const vars = { TF_HOSTNAME: 'tf.example.com', TFE_HOSTNAME: 'tfe.example.com' }
    expect(settingsOf({}, vars).hostname).toBe('tf.example.com')
    expect(settingsOf({}, { TFE_HOSTNAME: 'tfe.example.com' }).hostname).toBe('tfe.example.com')
    expect(settingsOf({ hostname: 'input.example.com' }, vars).hostname).toBe('input.example.com')
  })

  it('requires https for hosts other than loopback', () => {
    const error = problemsOf({ hostname: 'http://tfe.example.com' })
    expect(error.message).toContain('Input `hostname` is "http://tfe.example.com"')
    expect(error.message).toContain('https')
    expect(error.message).toContain('https://tfe.example.com')
  })

  it('rejects a path other than /api/v2', () => {
    const error = problemsOf({ hostname: 'https://tfe.example.com/app/my-org' })
    expect(error.message).toContain('"https://tfe.example.com/app/my-org"')
    expect(error.message).toContain('without a path')
  })

  it.each([
    'not a host',
    'ftp://tfe.example.com',
    'https://user:secret@tfe.example.com',
    'tfe.example.com?x=1',
    'https://tfe.example.com#top',
    'tfe_example.com',
    'tfe.example.com:99999',
    '-tfe.example.com',
    'https://',
    ':8080'
  ])('rejects %j with an example of a valid one', hostname => {
    const error = problemsOf({ hostname })
    expect(error.problems).toHaveLength(1)
    expect(error.message).toContain(`Input \`hostname\` is ${JSON.stringify(hostname)}`)
    expect(error.message).toContain('app.terraform.io')
  })

  it('names the fallback variable in its error', () => {
    const error = problemsOf({}, { TF_HOSTNAME: 'http://tfe.example.com' })
    expect(error.message).toContain(
      'Input `hostname` (from TF_HOSTNAME) is "http://tfe.example.com"'
    )
  })
})

describe('run target', () => {
  it('reads run IDs separated by commas and newlines, without duplicates, in order', () => {
    const second = 'run-0123456789abcdef'
    const settings = settingsOf({ 'run-id': `${second}, ${RUN_ID}\n${second}\n\n` })
    expect(settings.target).toEqual({ kind: 'runs', runIds: [second, RUN_ID] })
  })

  it('reads plan IDs', () => {
    const settings = settingsOf({ 'run-id': '', 'plan-id': 'plan-Vz6hsV3ujRzuDbCK' })
    expect(settings.target).toEqual({ kind: 'plans', planIds: ['plan-Vz6hsV3ujRzuDbCK'] })
  })

  it.each([
    ['run-id', 'run-123, run-CZcmD7eagjhyX0vN', '"run-123"', 'run-CZcmD7eagjhyX0vN'],
    ['run-id', 'plan-Vz6hsV3ujRzuDbCK', '"plan-Vz6hsV3ujRzuDbCK"', 'run-CZcmD7eagjhyX0vN'],
    ['plan-id', 'plan-short', '"plan-short"', 'plan-Vz6hsV3ujRzuDbCK'],
    ['run-id', ',', '","', 'run-CZcmD7eagjhyX0vN']
  ])('rejects %s %j, showing the bad entry %s', (name, value, shown, example) => {
    const error = problemsOf({ 'run-id': '', [name]: value })
    expect(error.message).toContain(`Input \`${name}\` is ${shown}`)
    expect(error.message).toContain(example)
  })

  it.each([
    [{ 'run-id': '' }, 'none was given'],
    [{ 'plan-id': 'plan-Vz6hsV3ujRzuDbCK' }, 'got `run-id` and `plan-id`'],
    [
      { workspace: 'app', 'plan-id': 'plan-Vz6hsV3ujRzuDbCK' },
      'got `run-id`, `plan-id` and `workspace`'
    ]
  ])('needs exactly one of run-id, plan-id and workspace (%j)', (inputs, why) => {
    const error = problemsOf(inputs)
    expect(error.problems).toHaveLength(1)
    expect(error.message).toContain(
      'Give exactly one of the inputs `run-id`, `plan-id` and `workspace`'
    )
    expect(error.message).toContain(`(${why})`)
  })
})

describe('workspace target', () => {
  const workspaceInputs = { 'run-id': '', workspace: 'app-prod,\napp-*', organization: 'my-org' }

  it('reads workspaces, organization and commit', () => {
    const settings = settingsOf({ ...workspaceInputs, 'commit-sha': HEAD_SHA.toUpperCase() })
    expect(settings.target).toEqual({
      kind: 'discover',
      organization: 'my-org',
      workspaces: ['app-prod', 'app-*'],
      commitSha: HEAD_SHA
    })
  })

  it('falls back to TF_CLOUD_ORGANIZATION', () => {
    const settings = settingsOf(
      { ...workspaceInputs, organization: '', 'commit-sha': HEAD_SHA },
      { TF_CLOUD_ORGANIZATION: 'env-org' }
    )
    expect(settings.target).toMatchObject({ organization: 'env-org' })
  })

  it('needs an organization', () => {
    const error = problemsOf({ ...workspaceInputs, organization: '', 'commit-sha': HEAD_SHA })
    expect(error.message).toMatch(/^Input `organization` is missing/)
    expect(error.message).toContain('TF_CLOUD_ORGANIZATION')
  })

  it('rejects bad workspace and organization names', () => {
    const error = problemsOf({
      ...workspaceInputs,
      workspace: 'good, my workspace',
      organization: 'my org',
      'commit-sha': HEAD_SHA
    })
    expect(error.problems).toEqual([
      expect.stringContaining('Input `workspace` is "my workspace"'),
      expect.stringContaining('Input `organization` is "my org"')
    ])
  })

  it.each(['pull_request', 'pull_request_target'])(
    'defaults to the pull request head on %s, not the merge commit',
    eventName => {
      const GITHUB_EVENT_PATH = eventFile(eventName, {
        pull_request: { number: 7, head: { sha: HEAD_SHA } }
      })
      const vars = { GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH, GITHUB_SHA: MERGE_SHA }
      expect(settingsOf({ ...workspaceInputs, comment: 'off' }, vars).target).toMatchObject({
        commitSha: HEAD_SHA
      })
    }
  )

  it('defaults to GITHUB_SHA on push', () => {
    const GITHUB_EVENT_PATH = eventFile('push', { after: HEAD_SHA })
    const vars = { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH, GITHUB_SHA: MERGE_SHA }
    expect(settingsOf(workspaceInputs, vars).target).toMatchObject({ commitSha: MERGE_SHA })
  })

  it('prefers an explicit commit-sha over the event', () => {
    const GITHUB_EVENT_PATH = eventFile('pr-explicit', {
      pull_request: { head: { sha: HEAD_SHA } }
    })
    const vars = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH }
    const settings = settingsOf({ ...workspaceInputs, 'commit-sha': MERGE_SHA }, vars)
    expect(settings.target).toMatchObject({ commitSha: MERGE_SHA })
  })

  it('needs a commit when neither the input nor GITHUB_SHA gives one', () => {
    const error = problemsOf(workspaceInputs)
    expect(error.message).toMatch(/^Input `commit-sha` is missing/)
    expect(error.message).toContain('commit-sha: ${{ github.event.pull_request.head.sha }}')
  })

  it.each([
    ['abc123', 'Input `commit-sha` is "abc123"', {}],
    ['', 'Input `commit-sha` (from GITHUB_SHA) is "main"', { GITHUB_SHA: 'main' }]
  ])('rejects a commit that is not 40 hex digits (%j)', (commit, message, vars) => {
    const error = problemsOf({ ...workspaceInputs, 'commit-sha': commit }, vars)
    expect(error.message).toContain(message)
    expect(error.message).toContain('40-character')
  })

  it('reports a broken event file when the head commit depends on it', () => {
    const GITHUB_EVENT_PATH = eventFile('broken-pr', '{"pull_request": ')
    const vars = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH, GITHUB_SHA: MERGE_SHA }
    const error = problemsOf({ ...workspaceInputs, comment: 'off' }, vars)
    expect(error.message).toContain('GITHUB_EVENT_PATH')
    expect(error.message).toContain('`commit-sha`')
  })
})

describe('the commit the plan is for (named in the comment)', () => {
  const commenting = { 'github-token': 'ghs_x' }
  const prEvent = (name: string) => ({
    GITHUB_REPOSITORY: 'octo/infra',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventFile(name, { pull_request: { number: 7, head: { sha: HEAD_SHA } } }),
    GITHUB_SHA: MERGE_SHA
  })

  it('is the pull request head of the event, not the merge commit, with run-id', () => {
    expect(settingsOf(commenting, prEvent('planned-pr')).commitSha).toBe(HEAD_SHA)
  })

  it('is commit-sha when given, in lower case', () => {
    const settings = settingsOf(
      { ...commenting, 'commit-sha': MERGE_SHA.toUpperCase() },
      prEvent('planned-given')
    )
    expect(settings.commitSha).toBe(MERGE_SHA)
  })

  it('is unknown outside pull request events without commit-sha (GITHUB_SHA may be a branch)', () => {
    const vars = {
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_SHA: MERGE_SHA,
      GITHUB_REPOSITORY: 'octo/infra'
    }
    expect(settingsOf({ ...commenting, 'pr-number': '7' }, vars).commitSha).toBeUndefined()
  })

  it('rejects a commit-sha that is not 40 hex digits once, also with run-id', () => {
    expect(problemsOf({ 'commit-sha': 'abc123' }).problems).toEqual([
      expect.stringContaining('Input `commit-sha` is "abc123"')
    ])
    const discover = { 'run-id': '', workspace: 'app-prod', organization: 'my-org' }
    expect(
      problemsOf({ ...discover, 'commit-sha': 'abc123' }).problems.filter(p =>
        p.includes('commit-sha')
      )
    ).toHaveLength(1)
  })

  it('reads the GitHub server for commit links from GITHUB_SERVER_URL', () => {
    const settings = settingsOf(
      {},
      { GITHUB_SERVER_URL: 'https://ghes.example.com/', GITHUB_REPOSITORY: 'octo/infra' }
    )
    expect(settings.repositoryUrl).toBe('https://ghes.example.com/octo/infra')
  })
})

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['600', 600_000],
    ['6h', 6 * 3_600_000]
  ])('wait-timeout %j is %i ms', (text, ms) => {
    expect(settingsOf({ 'wait-timeout': text }).waitTimeoutMs).toBe(ms)
  })

  it.each([
    ['0', 'more than 0'],
    ['-5', '90s, 15m or 1h'],
    ['abc', '90s, 15m or 1h'],
    ['5d', '90s, 15m or 1h'],
    ['7h', '6h']
  ])('rejects wait-timeout %j', (text, advice) => {
    const error = problemsOf({ 'wait-timeout': text })
    expect(error.problems).toEqual([expect.stringContaining(`Input \`wait-timeout\` is "${text}"`)])
    expect(error.message).toContain(advice)
  })

  it('words the problem as documented', () => {
    expect(problemsOf({ 'wait-timeout': '10 minutes' }).message).toBe(
      'Input `wait-timeout` is "10 minutes": use a duration like 90s, 15m or 1h, or a number of seconds.'
    )
  })

  it.each([
    ['1s', 1000],
    ['10', 10_000],
    ['5m', 300_000]
  ])('poll-interval %j is %i ms', (text, ms) => {
    expect(settingsOf({ 'poll-interval': text }).pollIntervalMs).toBe(ms)
  })

  it.each([
    ['0', {}, 'between 1s and 5m'],
    ['6m', { 'wait-timeout': '1h' }, 'between 1s and 5m'],
    ['soon', {}, '90s, 15m or 1h'],
    ['2m', { 'wait-timeout': '90s' }, 'not be longer than wait-timeout']
  ])('rejects poll-interval %j', (text, extra, advice) => {
    const error = problemsOf({ 'poll-interval': text, ...extra })
    expect(error.problems).toEqual([
      expect.stringContaining(`Input \`poll-interval\` is "${text}"`)
    ])
    expect(error.message).toContain(advice)
  })

  it('does not blame poll-interval when only wait-timeout is wrong', () => {
    expect(problemsOf({ 'wait-timeout': 'never', 'poll-interval': '5m' }).problems).toHaveLength(1)
  })
})

describe('github token, repository and pull request', () => {
  const prEvent = (): Record<string, string> => ({
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventFile('pr', { pull_request: { number: 42, head: { sha: HEAD_SHA } } }),
    GITHUB_REPOSITORY: 'octo/infra'
  })

  it('reads the github token, masks it, and takes the API URL and repository from the runner', () => {
    const settings = settingsOf(
      { 'github-token': 'ghs_secretvalue', 'pr-number': '5' },
      { GITHUB_API_URL: 'https://ghe.example.com/api/v3/', GITHUB_REPOSITORY: 'octo/infra' }
    )
    expect(settings.comment?.token).toBe('ghs_secretvalue')
    expect(settings.comment?.apiUrl).toBe('https://ghe.example.com/api/v3')
    expect(settings.comment?.repository).toEqual({ owner: 'octo', repo: 'infra' })
    expect(masked()).toContain('ghs_secretvalue')
  })

  it.each(['pull_request', 'pull_request_target'])('takes the PR number from a %s event', name => {
    const vars = { ...prEvent(), GITHUB_EVENT_NAME: name }
    expect(settingsOf({ 'github-token': 'ghs_x' }, vars).comment?.prNumber).toBe(42)
  })

  it('takes the PR number from an issue_comment on a pull request only', () => {
    const onPr = eventFile('comment-pr', { issue: { number: 9, pull_request: { url: 'u' } } })
    const onIssue = eventFile('comment-issue', { issue: { number: 10 } })
    const vars = { GITHUB_EVENT_NAME: 'issue_comment', GITHUB_REPOSITORY: 'octo/infra' }
    const inputs = { 'github-token': 'ghs_x' }
    expect(settingsOf(inputs, { ...vars, GITHUB_EVENT_PATH: onPr }).comment?.prNumber).toBe(9)
    expect(
      settingsOf(inputs, { ...vars, GITHUB_EVENT_PATH: onIssue }).comment?.prNumber
    ).toBeUndefined()
  })

  it('has no PR number on push (no comment, not an error)', () => {
    const GITHUB_EVENT_PATH = eventFile('push-pr', { pull_request: { number: 3 } })
    expect(
      settingsOf({}, { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH }).comment?.prNumber
    ).toBeUndefined()
  })

  it('notes a wanted comment without a pull request, not a comment turned off', () => {
    const push = { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo/infra' }
    expect(settingsOf({}, push).commentWithoutPullRequest).toBe(true)
    expect(settingsOf({ comment: 'off' }, push).commentWithoutPullRequest).toBe(false)
    expect(settingsOf({ 'github-token': 'ghs_x' }, prEvent()).commentWithoutPullRequest).toBe(false)
  })

  it('prefers an explicit pr-number', () => {
    expect(
      settingsOf({ 'pr-number': '17', 'github-token': 'ghs_x' }, prEvent()).comment?.prNumber
    ).toBe(17)
  })

  it.each(['0', '-1', 'abc', '#12', '1.5', '99999999999999999999'])(
    'rejects pr-number %j',
    value => {
      const error = problemsOf({ 'pr-number': value })
      expect(error.message).toContain(`Input \`pr-number\` is ${JSON.stringify(value)}`)
      expect(error.message).toContain('like 42')
    }
  )

  it('needs a github token to comment on a known pull request', () => {
    const error = problemsOf({}, prEvent())
    expect(error.message).toMatch(/^Input `github-token` is empty/)
    expect(error.message).toContain('#42')
    expect(error.message).toContain('comment: off')
  })

  it.each([
    [{ comment: 'off' }, prEvent()],
    [{}, { GITHUB_EVENT_NAME: 'push' }]
  ])('does not need a github token when no comment is written (%j)', (inputs, vars) => {
    expect(settingsOf(inputs, vars).comment).toBeUndefined()
  })

  it('needs GITHUB_REPOSITORY to comment', () => {
    const vars = { ...prEvent(), GITHUB_REPOSITORY: '' }
    const error = problemsOf({ 'github-token': 'ghs_x' }, vars)
    expect(error.message).toContain('GITHUB_REPOSITORY is ""')
    expect(error.message).toContain('owner/repo')
  })

  it('ignores a broken event file when no comment is wanted', () => {
    const vars = { ...prEvent(), GITHUB_EVENT_PATH: eventFile('broken', 'not json') }
    expect(settingsOf({ comment: 'off' }, vars).comment?.prNumber).toBeUndefined()
  })

  it.each([
    ['broken JSON', (): string => eventFile('broken-json', '{')],
    ['a missing file', (): string => path.join(eventDir, 'missing.json')]
  ])('reports %s when the PR number depends on it', (_why, file) => {
    const vars = { ...prEvent(), GITHUB_EVENT_PATH: file() }
    const error = problemsOf({ 'github-token': 'ghs_x' }, vars)
    expect(error.message).toContain('The event file (GITHUB_EVENT_PATH) could not be read')
    expect(error.message).toContain('`pr-number`')
  })
})

describe('comment inputs', () => {
  const onPullRequest = (inputs: Record<string, string>): Settings =>
    settingsOf(
      { 'pr-number': '5', 'github-token': 'ghs_x', ...inputs },
      { GITHUB_REPOSITORY: 'o/r' }
    )

  it.each([
    ['update', 'update'],
    ['new', 'new'],
    ['changes-only', 'changes-only'],
    ['off', 'off'],
    ['true', 'update'],
    ['FALSE', 'off'],
    ['Changes-Only', 'changes-only']
  ])('comment %j is %s', (value, policy) => {
    expect(onPullRequest({ comment: value }).comment?.policy ?? 'off').toBe(policy)
  })

  it('rejects an unknown comment policy, listing the valid ones', () => {
    const error = problemsOf({ comment: 'sticky' })
    expect(error.message).toContain('Input `comment` is "sticky"')
    expect(error.message).toContain('update, new, changes-only, off, true or false')
  })

  it.each([
    ['per-workspace', 'per-workspace'],
    ['Combined', 'combined']
  ])('comment-mode %j is %s', (value, mode) => {
    expect(onPullRequest({ 'comment-mode': value }).comment?.layout).toBe(mode)
  })

  it('rejects an unknown comment-mode', () => {
    expect(problemsOf({ 'comment-mode': 'single' }).message).toContain(
      'Input `comment-mode` is "single": use per-workspace or combined'
    )
  })

  it.each([
    [undefined, 'summary'],
    ['split', 'split'],
    ['Summary', 'summary']
  ])('comment-overflow %j is %s', (value, overflow) => {
    const inputs: Record<string, string> = value === undefined ? {} : { 'comment-overflow': value }
    expect(onPullRequest(inputs).comment?.overflow).toBe(overflow)
  })

  it('rejects an unknown comment-overflow', () => {
    expect(problemsOf({ 'comment-overflow': 'truncate' }).message).toContain(
      'Input `comment-overflow` is "truncate": use summary or split'
    )
  })

  it('keeps any one-line label up to 100 characters', () => {
    const label = 'staging <eu> "west" --> ' + 'x'.repeat(76)
    expect(settingsOf({ 'comment-label': label }).commentLabel).toBe(label)
  })

  it.each([
    ['two\nlines', '"two\\nlines"'],
    ['x'.repeat(101), `"${'x'.repeat(80)}…"`]
  ])('rejects the label %j', (label, shown) => {
    const error = problemsOf({ 'comment-label': label })
    expect(error.message).toContain(`Input \`comment-label\` is ${shown}`)
    expect(error.message).toContain('e.g. staging')
  })
})

describe('gates and options', () => {
  it.each([
    ['destroy', ['destroy']],
    ['Errored, DESTROY\nreplace', ['errored', 'destroy', 'replace']],
    ['changes,drift,changes', ['changes', 'drift']],
    ['none', ['none']],
    ['policy, Advisory\nrun-task', ['policy', 'advisory', 'run-task']]
  ])('fail-on %j is %j', (value, conditions) => {
    expect(settingsOf({ 'fail-on': value }).failOn).toEqual(conditions)
  })

  it('rejects unknown fail-on conditions, listing the valid ones', () => {
    const error = problemsOf({ 'fail-on': 'errored, destory, sometimes' })
    expect(error.message).toContain('Input `fail-on` is "destory, sometimes"')
    expect(error.message).toContain(
      'errored, changes, destroy, replace, drift, policy, advisory, run-task, unapplied or none'
    )
  })

  it.each([
    ['run', 'run'],
    ['Plan', 'plan']
  ])('wait-for %j is %j', (value, waitFor) => {
    expect(settingsOf({ 'wait-for': value }).waitFor).toBe(waitFor)
  })

  it('rejects an unknown wait-for', () => {
    const error = problemsOf({ 'wait-for': 'deploy' })
    expect(error.message).toContain('Input `wait-for` is "deploy"')
  })

  it.each([
    ['100', '100'],
    ['12.50', '12.50'],
    ['$0.5', '0.5']
  ])('max-monthly-cost-increase %j is the exact decimal %j', (value, limit) => {
    expect(settingsOf({ 'max-monthly-cost-increase': value }).maxMonthlyCostIncrease).toBe(limit)
  })

  it.each(['-5', '1e3', '10 USD', '12,50', 'lots'])(
    'rejects max-monthly-cost-increase %j, naming the input and the fix',
    value => {
      const error = problemsOf({ 'max-monthly-cost-increase': value })
      expect(error.message).toContain('Input `max-monthly-cost-increase`')
      expect(error.message).toContain('use a number of USD a month')
    }
  )

  it('rejects none combined with other conditions', () => {
    const error = problemsOf({ 'fail-on': 'none, destroy' })
    expect(error.message).toContain('Input `fail-on` is "none, destroy"')
    expect(error.message).toContain('`none` cannot be combined')
  })

  it('reads protect patterns, dropping blanks and duplicates', () => {
    const protect = 'aws_db_instance.*\n\n , module.core.*, aws_s3_bucket.b["logs,archive"]\n*'
    expect(settingsOf({ protect }).protect).toEqual([
      'aws_db_instance.*',
      'module.core.*',
      'aws_s3_bucket.b["logs,archive"]',
      '*'
    ])
  })

  it.each([
    ['True', true],
    ['false', false]
  ])('details %j is %s', (value, details) => {
    expect(settingsOf({ details: value }).details).toBe(details)
  })

  it.each([
    ['false', 'off'],
    ['true', 'on'],
    ['Required', 'required']
  ])('sentinel-mocks %j is %s', (value, policy) => {
    expect(settingsOf({ 'sentinel-mocks': value }).sentinelMocks).toBe(policy)
  })

  it('reads sentinel-mocks-keep', () => {
    expect(settingsOf({ 'sentinel-mocks-keep': 'TRUE' }).sentinelMocksKeep).toBe(true)
  })

  it.each(['details', 'sentinel-mocks-keep'])('rejects a %s that is not true or false', name => {
    const error = problemsOf({ [name]: 'yes' })
    expect(error.message).toContain(`Input \`${name}\` is "yes": use true or false`)
  })

  it('rejects an unknown sentinel-mocks value', () => {
    expect(problemsOf({ 'sentinel-mocks': 'always' }).message).toContain(
      'Input `sentinel-mocks` is "always": use false, true or required'
    )
  })

  it('uses RUNNER_TEMP for downloads', () => {
    expect(settingsOf({}, { RUNNER_TEMP: '/runner/_temp' }).tempDir).toBe('/runner/_temp')
  })
})

describe('reading inputs', () => {
  it('groups by action or module, and names any other choice', () => {
    expect(settingsOf({ 'group-by': 'Module' }).groupBy).toBe('module')
    expect(problemsOf({ 'group-by': 'file' }).problems).toEqual([
      expect.stringMatching(/^Input `group-by` is "file": use action or module/)
    ])
  })

  it('splits hide-attributes on commas and lines', () => {
    expect(
      settingsOf({ 'hide-attributes': 'tags_all, *.last_modified\nmeta' }).hideAttributes
    ).toEqual(['tags_all', '*.last_modified', 'meta'])
  })

  it('compiles one mask per line, and rejects a bad one before any request', () => {
    const masks = settingsOf({ mask: 'tok-[a-z0-9]+\n\nAKIA[A-Z0-9]{16}' }).masks
    expect(masks.map(mask => mask.source)).toEqual(['tok-[a-z0-9]+', 'AKIA[A-Z0-9]{16}'])
    expect(problemsOf({ mask: 'ok\n[unclosed' }).problems).toEqual([
      expect.stringMatching(/^Input `mask` line 2 .*not a valid regular expression/)
    ])
  })
})

describe('several problems', () => {
  it('reports every bad input at once, one line each, and never the token', () => {
    const error = problemsOf(
      {
        token: `${TOKEN} extra`,
        hostname: 'http://tfe.example.com',
        'wait-timeout': '5d',
        comment: 'maybe',
        'fail-on': 'explode'
      },
      {}
    )
    expect(error.problems.map(problem => problem.split(' ')[1])).toEqual([
      '`token`',
      '`hostname`',
      '`wait-timeout`',
      '`comment`',
      '`fail-on`'
    ])
    expect(error.message.split('\n')).toEqual(error.problems)
    expect(error.message).not.toContain('extra')
  })
})

describe('splitList', () => {
  it('splits on commas and newlines, keeping commas inside brackets', () => {
    expect(splitList('a, b\r\nc["x,y"]\n,d[0],a')).toEqual(['a', 'b', 'c["x,y"]', 'd[0]'])
  })
})

describe('overrides, labels, re-evaluation and merge queues', () => {
  const prVars = (event: object, name = 'pull_request'): Record<string, string> => ({
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: eventFile(`${name}-${JSON.stringify(event).length}`, {
      pull_request: { number: 42, head: { sha: HEAD_SHA } },
      ...event
    }),
    GITHUB_REPOSITORY: 'octo/infra'
  })
  const onlyToken = { token: TOKEN, 'github-token': 'ghs_x' }

  it('reads approvers, the label and the waivable conditions', () => {
    const settings = settingsOf({
      'override-approvers': 'alice\n@octo-org/platform, @bob',
      'override-label': 'allow-destroy',
      'override-for': 'Destroy, protect'
    })
    expect(settings.overrides).toEqual({
      approvers: [
        { kind: 'user', login: 'alice' },
        { kind: 'team', org: 'octo-org', slug: 'platform' },
        { kind: 'user', login: 'bob' }
      ],
      label: 'allow-destroy',
      waivable: ['destroy', 'protect']
    })
    expect(settingsOf({}).overrides).toBeUndefined()
  })

  it.each(['errored', 'policy', 'run-task'])('rejects %s in override-for, saying why', word => {
    const error = problemsOf({ 'override-approvers': 'alice', 'override-for': `destroy,${word}` })
    expect(error.problems).toHaveLength(1)
    expect(error.message).toContain(`Input \`override-for\` is "${word}"`)
    expect(error.message).toMatch(/HCP Terraform|cannot be approved/)
  })

  it('rejects unknown conditions, bad approvers and a bad label together', () => {
    const error = problemsOf({
      'override-approvers': 'alice, not a login',
      'override-label': 'a,b',
      'override-for': 'destroy,everything'
    })
    expect(error.problems).toHaveLength(3)
    expect(error.message).toContain('"not a login"')
    expect(error.message).toContain('"everything"')
  })

  it('keeps labels off by default and checks the prefix', () => {
    expect(settingsOf({}).labels).toBeUndefined()
    expect(settingsOf({ labels: 'true' }).labels).toEqual({ prefix: 'terraform:' })
    expect(settingsOf({ labels: 'true', 'label-prefix': 'tf/' }).labels).toEqual({ prefix: 'tf/' })
    expect(problemsOf({ labels: 'true', 'label-prefix': 'x'.repeat(40) }).message).toContain(
      'Input `label-prefix`'
    )
  })

  it('knows the pull request for overrides and labels even with comment: off', () => {
    const settings = settingsOf({ ...onlyToken, labels: 'true', comment: 'off' }, prVars({}))
    expect(settings.comment).toBeUndefined()
    expect(settings.pullRequest).toEqual({
      token: 'ghs_x',
      apiUrl: 'https://api.github.com',
      repository: { owner: 'octo', repo: 'infra' },
      number: 42
    })
  })

  it.each([
    ['pull_request_review', { action: 'submitted' }],
    ['pull_request_review', { action: 'dismissed' }],
    ['pull_request', { action: 'labeled' }],
    ['pull_request_target', { action: 'unlabeled' }]
  ])('re-evaluates the recorded runs on %s %j without run-id', (name, event) => {
    const settings = getSettings(envOf(onlyToken, prVars(event, name)))
    expect(settings.target).toEqual({ kind: 'recorded' })
    expect(settings.commitSha).toBe(HEAD_SHA)
  })

  it('still asks for a target on other pull request events', () => {
    const error = (() => {
      try {
        getSettings(envOf(onlyToken, prVars({ action: 'synchronize' })))
      } catch (caught) {
        return caught as Error
      }
      throw new Error('expected an InputError')
    })()
    expect(error.message).toContain('Give exactly one of the inputs')
  })

  it('asks for a github-token when a re-evaluation must read the pull request', () => {
    const env = envOf({ token: TOKEN, comment: 'off' }, prVars({ action: 'labeled' }))
    expect(() => getSettings(env)).toThrow(/github-token.*re-evaluation/)
  })

  it("takes a merge queue's commit from merge_group.head_sha, with no pull request", () => {
    const GITHUB_EVENT_PATH = eventFile('merge-group', { merge_group: { head_sha: HEAD_SHA } })
    const vars = { GITHUB_EVENT_NAME: 'merge_group', GITHUB_EVENT_PATH, GITHUB_SHA: MERGE_SHA }
    const byRun = settingsOf({}, vars)
    expect(byRun.commitSha).toBe(HEAD_SHA)
    expect(byRun.comment).toBeUndefined()
    expect(byRun.pullRequest).toBeUndefined()
    const byWorkspace = getSettings(
      envOf({ token: TOKEN, organization: 'acme', workspace: 'network' }, vars)
    )
    expect(byWorkspace.target).toEqual({
      kind: 'discover',
      organization: 'acme',
      workspaces: ['network'],
      commitSha: HEAD_SHA
    })
  })
})

describe('wait-for: apply', () => {
  const onPush = {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_SHA: MERGE_SHA,
    GITHUB_REPOSITORY: 'octo/infra',
    GITHUB_API_URL: 'https://ghe.example.com/api/v3/'
  }
  const applying = { 'wait-for': 'apply', 'github-token': 'ghs_tokenValue' }

  it('reports on the pushed commit: GITHUB_SHA, the GitHub API, the comment policy and layout', () => {
    const settings = settingsOf({ ...applying, 'comment-mode': 'combined' }, onPush)
    expect(settings.waitFor).toBe('apply')
    // The plan's comment settings stay unset: the apply finds its pull requests itself.
    expect(settings.comment).toBeUndefined()
    expect(settings.commentWithoutPullRequest).toBe(false)
    expect(settings.apply).toEqual({
      commitSha: MERGE_SHA,
      github: {
        token: 'ghs_tokenValue',
        apiUrl: 'https://ghe.example.com/api/v3',
        repository: { owner: 'octo', repo: 'infra' }
      },
      comment: 'update',
      layout: 'combined',
      prNumber: undefined,
      commitStatus: false
    })
  })

  it('takes commit-sha over GITHUB_SHA, and pr-number as the one pull request to comment on', () => {
    const settings = settingsOf(
      { ...applying, 'commit-sha': HEAD_SHA.toUpperCase(), 'pr-number': '42', comment: 'off' },
      onPush
    )
    expect(settings.apply).toMatchObject({ commitSha: HEAD_SHA, prNumber: 42 })
    expect(settings.apply?.comment).toBeUndefined()
  })

  it('looks up the workspace run of the pushed commit', () => {
    const settings = getSettings(
      envOf({ token: TOKEN, ...applying, workspace: 'app', organization: 'acme' }, onPush)
    )
    expect(settings.target).toMatchObject({ kind: 'discover', commitSha: MERGE_SHA })
    expect(settings.apply?.commitSha).toBe(MERGE_SHA)
  })

  it('refuses plan-id, which has no apply', () => {
    const error = problemsOf(
      { ...applying, 'run-id': '', 'plan-id': 'plan-Vz6hsV3ujRzuDbCK' },
      onPush
    )
    expect(error.message).toContain('`plan-id` names plans, which have no apply')
  })

  it('refuses commit-status and fail-on: unapplied without wait-for: apply', () => {
    expect(problemsOf({ 'commit-status': 'true' }).message).toContain(
      'Input `commit-status` (commit-status: true) is about the apply: it needs wait-for: apply.'
    )
    expect(problemsOf({ 'fail-on': 'errored,unapplied' }).message).toContain(
      'it needs wait-for: apply'
    )
    expect(problemsOf({ 'commit-status': 'maybe' }).message).toContain(
      'Input `commit-status` is "maybe"'
    )
  })

  it('needs GITHUB_REPOSITORY and a token to write on GitHub, unless comment is off', () => {
    const withoutRepository = { ...onPush, GITHUB_REPOSITORY: '' }
    expect(problemsOf({ 'wait-for': 'apply' }, withoutRepository).message).toContain(
      'comment: update with wait-for: apply writes on GitHub'
    )
    expect(
      settingsOf({ 'wait-for': 'apply', comment: 'off' }, withoutRepository).apply
    ).toMatchObject({ github: undefined, comment: undefined })
  })
})
