import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTfcClient } from '../../src/tfc/client.js'
import { parsePlanLog, readPlanDiagnostics } from '../../src/tfc/logs.js'
import { startRouteServer } from '../helpers/route-server.js'
import type { RouteServer } from '../helpers/route-server.js'
import { captureStdout } from '../helpers/capture-stdout.js'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/plan-logs')

/** One line of HCP Terraform's structured log. */
function entry(type: string, message: string, extra: Record<string, unknown> = {}, level = 'info') {
  return JSON.stringify({
    '@level': level,
    '@message': message,
    '@module': 'terraform.ui',
    '@timestamp': '2024-05-01T12:00:00.000000Z',
    type,
    ...extra
  })
}

const unsupportedBlock = {
  severity: 'error',
  summary: 'Unsupported block type',
  detail: 'Blocks of type "triggers" are not expected here.',
  range: {
    filename: 'main.tf',
    start: { line: 2, column: 3, byte: 35 },
    end: { line: 2, column: 11, byte: 43 }
  },
  snippet: {
    context: 'resource "null_resource" "foo"',
    code: '  triggers {',
    start_line: 2,
    highlight_start_offset: 2,
    highlight_end_offset: 10,
    values: []
  }
}

const deprecation = {
  severity: 'warning',
  summary: 'Deprecated attribute',
  detail: 'Use "acl" resources instead.',
  range: { filename: 'modules/storage/main.tf', start: { line: 14, column: 3, byte: 200 } }
}

describe('parsePlanLog: structured logs', () => {
  it('reads errors and warnings with location and snippet, and leaves out the tail', () => {
    const log = [
      entry('version', 'Terraform 1.9.5', { terraform: '1.9.5', ui: '1.2' }),
      entry('diagnostic', 'Warning: Deprecated attribute', { diagnostic: deprecation }, 'warn'),
      entry(
        'diagnostic',
        'Error: Unsupported block type',
        { diagnostic: unsupportedBlock },
        'error'
      )
    ].join('\n')

    expect(parsePlanLog(log)).toEqual({
      diagnostics: [
        {
          severity: 'warning',
          summary: 'Deprecated attribute',
          detail: 'Use "acl" resources instead.',
          filename: 'modules/storage/main.tf',
          line: 14
        },
        {
          severity: 'error',
          summary: 'Unsupported block type',
          detail: 'Blocks of type "triggers" are not expected here.',
          filename: 'main.tf',
          line: 2,
          snippet: {
            context: 'resource "null_resource" "foo"',
            code: '  triggers {',
            startLine: 2,
            highlightStartOffset: 2,
            highlightEndOffset: 10
          }
        }
      ]
    })
  })

  it('tolerates stream markers, colours, plain lines and prefixes between the JSON lines', () => {
    const log = [
      '\u0002Terraform v1.9.5',
      '\u001b[1mInitializing...\u001b[0m',
      `2024-05-01T12:00:00Z ${entry('diagnostic', 'Error: Unsupported block type', { diagnostic: unsupportedBlock }, 'error')}`,
      '{not json at all}',
      '\u0003'
    ].join('\r\n')
    const { diagnostics, logTail } = parsePlanLog(log)
    expect(diagnostics.map(d => [d.summary, d.filename, d.line])).toEqual([
      ['Unsupported block type', 'main.tf', 2]
    ])
    expect(logTail).toBeUndefined()
  })

  it('reports a repeated diagnostic once', () => {
    const line = entry('diagnostic', 'Error: Unsupported block type', {
      diagnostic: unsupportedBlock
    })
    expect(parsePlanLog([line, line].join('\n')).diagnostics).toHaveLength(1)
  })

  it('ignores policy output, which is not about the plan', () => {
    const log = [
      entry('version', 'Terraform 1.9.5'),
      entry('policy_diagnostic', 'Error: policy failed', { '@policy': 'true' }, 'error'),
      entry(
        'diagnostic',
        'Error: policy says no',
        { '@policy': 'true', diagnostic: unsupportedBlock },
        'error'
      )
    ].join('\n')
    const { diagnostics, logTail } = parsePlanLog(log)
    expect(diagnostics).toEqual([])
    expect(logTail).toEqual(['Terraform 1.9.5'])
  })

  it('gives the last messages when a structured log has no diagnostics', () => {
    const changes = Array.from({ length: 30 }, (_, i) =>
      entry('planned_change', `null_resource.n[${i}]: Plan to create`)
    )
    const log = [
      entry('version', 'Terraform 1.9.5'),
      ...changes,
      entry('change_summary', 'Plan: 30 to add, 0 to change, 0 to destroy.')
    ].join('\n')
    const { diagnostics, logTail } = parsePlanLog(log)
    expect(diagnostics).toEqual([])
    expect(logTail).toHaveLength(20)
    expect(logTail?.[0]).toBe('null_resource.n[11]: Plan to create')
    expect(logTail?.[19]).toBe('Plan: 30 to add, 0 to change, 0 to destroy.')
  })

  it('takes the summary from the message when the diagnostic has none', () => {
    const line = entry('diagnostic', 'Error: Something broke', {
      diagnostic: { severity: 'error' }
    })
    expect(parsePlanLog(line).diagnostics).toEqual([
      { severity: 'error', summary: 'Something broke' }
    ])
  })
})

describe('parsePlanLog: plain logs', () => {
  it('reads boxed, coloured errors and warnings of Terraform 1.x', async () => {
    const text = await readFile(join(FIXTURES, 'boxed-errors.txt'), 'utf8')
    const { diagnostics, logTail } = parsePlanLog(text)
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        summary: 'Invalid value for variable',
        filename: 'variables.tf',
        line: 12,
        snippet: { context: 'variable "instance_count"', code: '  validation {', startLine: 12 },
        detail:
          'At least one instance is required.\n\nThis was checked by the validation rule at variables.tf:12,3-13.'
      },
      {
        severity: 'warning',
        summary: 'Argument is deprecated',
        filename: 'storage.tf',
        line: 4,
        snippet: {
          context: 'resource "aws_s3_bucket" "logs"',
          code: '  acl = "private"',
          startLine: 4
        },
        detail: 'with aws_s3_bucket.logs,\n\nUse the aws_s3_bucket_acl resource instead.'
      }
    ])
    expect(logTail?.[logTail.length - 1]).toBe(
      'Operation failed: failed running terraform plan (exit 1)'
    )
    expect(logTail?.join('\n')).not.toContain('\u001b')
  })

  it('reads an unboxed error of Terraform 0.12', async () => {
    const text = await readFile(join(FIXTURES, 'unboxed-error.txt'), 'utf8')
    expect(parsePlanLog(text).diagnostics).toEqual([
      {
        severity: 'error',
        summary: 'Reference to undeclared resource',
        filename: 'main.tf',
        line: 7,
        snippet: {
          context: 'output "address"',
          code: '  value = aws_instance.web.private_ip',
          startLine: 7
        },
        detail: 'A managed resource "aws_instance" "web" has not been declared in the root\nmodule.'
      }
    ])
  })

  it('keeps the last 20 non-empty lines, each cut to a readable length', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`)
    lines.splice(35, 0, '', '   ', 'x'.repeat(5000))
    const { diagnostics, logTail } = parsePlanLog(lines.join('\n'))
    expect(diagnostics).toEqual([])
    expect(logTail).toHaveLength(20)
    expect(logTail?.[0]).toBe('line 21')
    expect(logTail?.[14]).toBe(`${'x'.repeat(500)}…`)
    expect(logTail?.[19]).toBe('line 39')
  })

  it('has neither diagnostics nor tail for an empty log', () => {
    expect(parsePlanLog('')).toEqual({ diagnostics: [] })
  })
})

describe('readPlanDiagnostics', () => {
  let archivist: RouteServer | undefined
  let stdout: string[]

  beforeEach(() => {
    stdout = captureStdout()
  })

  afterEach(async () => {
    jest.restoreAllMocks()
    await archivist?.close()
    archivist = undefined
  })

  const client = () =>
    createTfcClient({ origin: 'https://app.terraform.io', token: 'logs-test-token', maxRetries: 0 })

  it('fetches the log without the token and masks its URL', async () => {
    const log = entry('diagnostic', 'Error: Unsupported block type', {
      diagnostic: unsupportedBlock
    })
    archivist = await startRouteServer({
      'GET /v1/object/:key': () => ({ status: 200, body: `\u0002${log}\n\u0003` })
    })
    const url = `${archivist.origin}/v1/object/log-SECRET?sig=abc`

    const result = await readPlanDiagnostics(client(), url)

    expect(result.diagnostics.map(d => d.summary)).toEqual(['Unsupported block type'])
    expect(archivist.requests[0].headers.authorization).toBeUndefined()
    expect(stdout.join('')).toContain(`::add-mask::${url}`)
    expect(stdout.filter(line => !line.startsWith('::add-mask::')).join('')).not.toContain('SECRET')
  })

  it('finds the error at the end of a log larger than the limit', async () => {
    const filler = Array.from({ length: 5000 }, (_, i) => `filler line ${i} ${'.'.repeat(80)}`)
    const error = entry('diagnostic', 'Error: Unsupported block type', {
      diagnostic: unsupportedBlock
    })
    const body = [...filler, error].join('\n')
    archivist = await startRouteServer({ 'GET /log': () => ({ status: 200, body }) })

    const result = await readPlanDiagnostics(client(), `${archivist.origin}/log`, {
      maxBytes: 64 * 1024
    })
    expect(result.diagnostics).toHaveLength(1)
  })

  it('keeps memory to the limit: a cut log starts at a whole line', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `plain line number ${i}`)
    archivist = await startRouteServer({
      'GET /log': () => ({ status: 200, body: lines.join('\n') })
    })
    const result = await readPlanDiagnostics(client(), `${archivist.origin}/log`, {
      maxBytes: 1000
    })
    expect(result.logTail?.[0]).toMatch(/^plain line number \d+$/)
    expect(result.logTail?.[19]).toBe('plain line number 2999')
  })

  it('fails with the host only when the log cannot be read', async () => {
    archivist = await startRouteServer({})
    const url = `${archivist.origin}/v1/object/log-SECRET`
    await expect(readPlanDiagnostics(client(), url)).rejects.toThrow(
      `GET http://127.0.0.1:${archivist.port}/…: HTTP 404`
    )
  })
})
