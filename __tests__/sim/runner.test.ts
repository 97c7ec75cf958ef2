// The step runner behind the e2e harness and the demo does what the GitHub Actions runner does.
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  GITHUB_TOKEN,
  HEAD_SHA,
  MERGE_SHA,
  actionInputDefaults,
  maskedLog,
  parseGithubOutput,
  parseWorkflowCommands,
  runAction
} from '../../test/sim/runner.mjs'
import type { RunOptions, RunResult } from '../../test/sim/runner.mjs'

const PROBE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/e2e/probe-step.mjs'
)
const workDirs: string[] = []

async function runProbe(options: Partial<RunOptions> = {}): Promise<RunResult> {
  const result = await runAction({ inputs: {}, timeoutMs: 20_000, ...options, entry: PROBE })
  workDirs.push(result.workDir)
  return result
}

afterAll(async () => {
  await Promise.all(workDirs.map(dir => rm(dir, { recursive: true, force: true })))
})

describe('parseGithubOutput', () => {
  it('reads name=value lines and heredocs with any delimiter', () => {
    const text = [
      'plain=value=with=equals',
      'multi<<ghadelimiter_0f3c',
      'line one',
      '',
      'line three',
      'ghadelimiter_0f3c',
      'empty<<EOF',
      'EOF',
      ''
    ].join('\n')
    expect(parseGithubOutput(text)).toEqual({
      plain: 'value=with=equals',
      multi: 'line one\n\nline three',
      empty: ''
    })
  })

  it('rejects a heredoc without its closing delimiter and a line without a name', () => {
    expect(() => parseGithubOutput('multi<<END\nvalue\n')).toThrow(/END/)
    expect(() => parseGithubOutput('no separator here\n')).toThrow(/malformed/)
  })
})

describe('parseWorkflowCommands', () => {
  it('collects errors, warnings, notices and masks, unescaped', () => {
    const stdout = [
      '::error::first%0Asecond 100%25',
      '::warning file=main.tf,line=3::look here',
      '::notice::fyi',
      '::add-mask::hidden',
      '::debug::not collected',
      'plain log line ::error::not a command'
    ].join('\n')
    expect(parseWorkflowCommands(stdout)).toEqual({
      errors: ['first\nsecond 100%'],
      warnings: ['look here'],
      notices: ['fyi'],
      masks: ['hidden']
    })
  })
})

describe('maskedLog', () => {
  it('consumes add-mask commands and hides every masked value, longest first', () => {
    const output = '::add-mask::abc\n::add-mask::abcdef\ntoken abcdef and abc\n'
    expect(maskedLog(output, ['abc', 'abcdef'])).toBe('token *** and ***\n')
  })
})

describe('actionInputDefaults', () => {
  it('reads quoted and plain defaults and resolves github.token', () => {
    const yml = [
      'name: x',
      'inputs:',
      '  quoted:',
      "    description: 'It''s quoted'",
      "    default: 'it''s'",
      '  plain:',
      '    default: 30m',
      '  token:',
      '    default: ${{ github.token }}',
      '  none:',
      '    required: false',
      'outputs:',
      '  out:',
      "    default: 'not an input'"
    ].join('\n')
    expect(actionInputDefaults(yml, 'ghs_x')).toEqual({
      quoted: "it's",
      plain: '30m',
      token: 'ghs_x'
    })
  })
})

describe('runAction', () => {
  let saved: string | undefined
  beforeEach(() => {
    saved = process.env.TF_API_TOKEN
    process.env.TF_API_TOKEN = 'inherited-token'
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.TF_API_TOKEN
    else process.env.TF_API_TOKEN = saved
  })

  it('passes inputs with action.yml defaults and reads outputs, summary and annotations', async () => {
    const step = await runProbe({ inputs: { 'run-id': 'run-abc' } })

    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      'github-token': GITHUB_TOKEN,
      comment: 'update',
      'run-id': 'run-abc',
      'multi-line': 'first line\nsecond line'
    })
    expect(step.summary).toContain('Probe summary')
    expect(step.log).not.toContain('probe-secret')
    expect(step.annotations).toEqual({
      errors: ['broken'],
      warnings: ['careful: 100%\nsecond line'],
      notices: [],
      masks: ['probe-secret']
    })
  })

  it('gives the step a pull_request event, the runner variables and a clean environment', async () => {
    const step = await runProbe()

    const env = JSON.parse(step.outputs.env)
    expect(env).toMatchObject({
      GITHUB_REPOSITORY: 'octo/infra',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_SHA: MERGE_SHA,
      RUNNER_TEMP: step.runnerTemp
    })
    expect(env.TF_API_TOKEN).toBeUndefined()
    expect(existsSync(step.runnerTemp)).toBe(true)
    expect(readdirSync(step.runnerTemp)).toEqual([])
    const event = JSON.parse(readFileSync(path.join(step.workDir, 'event.json'), 'utf8'))
    expect(event.pull_request).toMatchObject({ number: 7, head: { sha: HEAD_SHA } })
  })

  it('passes the step env and the exit code through', async () => {
    const step = await runProbe({ inputs: { 'exit-code': '4' }, env: { TF_API_TOKEN: 'given' } })
    expect(step.code).toBe(4)
    expect(JSON.parse(step.outputs.env).TF_API_TOKEN).toBe('given')
  })

  it('sends a signal after the given time', async () => {
    const step = await runProbe({
      inputs: { wait: 'true' },
      // Late enough for the probe to have started and set its handler on a busy machine.
      signal: { name: 'SIGTERM', afterMs: 2000 }
    })
    expect(step.code).toBe(3)
    expect(step.stdout).toContain('terminated')
  })

  it('kills a step that outlives its timeout', async () => {
    const step = await runProbe({ inputs: { wait: 'true' }, timeoutMs: 500 })
    expect(step.timedOut).toBe(true)
    expect(step.signal).toBe('SIGKILL')
  })
})
