// HCP Terraform's real run logs (terraform-corpus/cloud/*__plan.log) through parsePlanLog.
import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parsePlanLog } from '../../src/tfc/logs.js'
import { CORPUS } from './plan-corpus.js'

const CLOUD = path.join(CORPUS, 'cloud')
const logs = fs
  .readdirSync(CLOUD)
  .filter(name => name.endsWith('__plan.log'))
  .sort()
  .map(name => ({
    name: name.replace('__plan.log', ''),
    text: fs.readFileSync(path.join(CLOUD, name), 'utf8')
  }))

interface Expected {
  severity: string
  summary: string
  location?: string
}

/** What the log itself says, read line by line without the parser under test. */
function expectedDiagnostics(text: string): Expected[] {
  return text.split('\n').flatMap((line): Expected[] => {
    if (line.startsWith('{')) {
      const entry = JSON.parse(line)
      if (entry.type !== 'diagnostic' || entry['@policy'] !== undefined) return []
      const { severity, summary, range } = entry.diagnostic
      const location = range ? `${range.filename}:${range.start.line}` : undefined
      return [{ severity, summary, location }]
    }
    const plainError = /^Error: (.+)$/.exec(line)
    return plainError ? [{ severity: 'error', summary: plainError[1] }] : []
  })
}

describe('plan logs of the corpus', () => {
  it('has the logs this suite is about', () => {
    expect(logs.map(log => log.name)).toEqual(
      expect.arrayContaining(['plan-with-error', 'plan-json-error'])
    )
  })

  it.each(logs)('$name: finds exactly the diagnostics the log has', ({ text }) => {
    const expected = expectedDiagnostics(text)
    const { diagnostics } = parsePlanLog(text)
    const found = diagnostics.map(d => ({
      severity: d.severity,
      summary: d.summary,
      location: d.filename === undefined ? undefined : `${d.filename}:${d.line}`
    }))
    expect(found).toEqual(expected)
  })

  it.each(['plan-with-error', 'plan-json-error', 'plan-import-config-gen-validation-error'])(
    '%s: reports its error with a summary',
    name => {
      const log = logs.find(candidate => candidate.name === name)
      const errors = parsePlanLog(log?.text ?? '').diagnostics.filter(d => d.severity === 'error')
      expect(errors.length).toBeGreaterThan(0)
      for (const error of errors) expect(error.summary.trim()).not.toBe('')
    }
  )

  it('plan-json-error: locates the error at its file and line, with the snippet', () => {
    const log = logs.find(candidate => candidate.name === 'plan-json-error')?.text ?? ''
    const raw = log
      .split('\n')
      .filter(line => line.includes('"type":"diagnostic"'))
      .map(line => JSON.parse(line).diagnostic)[0]
    const [error] = parsePlanLog(log).diagnostics
    expect(`${error.filename}:${error.line}`).toBe(`${raw.range.filename}:${raw.range.start.line}`)
    expect(error.snippet?.code).toBe(raw.snippet.code)
    expect(error.detail).toBe(raw.detail)
  })

  it.each(logs.filter(log => !log.text.trimStart().startsWith('{')))(
    '$name: a plain log gets a readable tail',
    ({ text }) => {
      const { logTail } = parsePlanLog(text)
      const lastLine =
        text
          .split('\n')
          .filter(line => line.trim() !== '')
          .at(-1) ?? ''
      expect(logTail?.length).toBeGreaterThan(0)
      expect(logTail?.length).toBeLessThanOrEqual(20)
      expect(logTail?.at(-1)).toBe(
        lastLine.length > 500 ? `${lastLine.slice(0, 500)}…` : lastLine.trimEnd()
      )
      for (const line of logTail ?? []) expect(line.length).toBeLessThanOrEqual(501)
    }
  )

  it('plan-json-policy: policy output is not taken for the plan’s diagnostics', () => {
    const log = logs.find(candidate => candidate.name === 'plan-json-policy')?.text ?? ''
    expect(log).toContain('"@policy"')
    expect(parsePlanLog(log).diagnostics).toEqual([])
  })
})
