import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { writeJobSummary } from '../../src/publish/summary.js'
import { captureStdout } from '../helpers/capture-stdout.js'

let folder: string
let summaryFile: string
const savedEnv = process.env.GITHUB_STEP_SUMMARY

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'summary-test-'))
  summaryFile = path.join(folder, 'step_summary')
  await writeFile(summaryFile, '')
})

afterEach(() => {
  jest.restoreAllMocks()
  if (savedEnv === undefined) delete process.env.GITHUB_STEP_SUMMARY
  else process.env.GITHUB_STEP_SUMMARY = savedEnv
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('writeJobSummary', () => {
  it('appends the Markdown, one block after another, to the step summary file', async () => {
    process.env.GITHUB_STEP_SUMMARY = summaryFile
    await writeJobSummary('## prod\n\nPlan: 1 to add')
    await writeJobSummary('## staging\n\nNo changes.')
    expect(await readFile(summaryFile, 'utf8')).toBe(
      `## prod\n\nPlan: 1 to add${os.EOL}## staging\n\nNo changes.${os.EOL}`
    )
  })

  it('skips quietly outside a runner', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    const before = await readFile(summaryFile, 'utf8')
    const stdout = captureStdout()
    await expect(writeJobSummary('## ignored')).resolves.toBeUndefined()
    expect(await readFile(summaryFile, 'utf8')).toBe(before)
    expect(stdout).toEqual([expect.stringMatching(/^::debug::GITHUB_STEP_SUMMARY is not set/)])
  })
})
