import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseApplyLog } from '../../src/tfc/apply-log.js'

const CORPUS = fileURLToPath(new URL('../../test/data/terraform-corpus/cloud/', import.meta.url))
const corpusLog = (name: string): string => readFileSync(path.join(CORPUS, name), 'utf8')
const jsonLine = (entry: object): string => JSON.stringify({ '@level': 'info', ...entry })

describe('parseApplyLog: structured logs', () => {
  it('reads counts, resources and outputs, and keeps no sensitive value', () => {
    const log = parseApplyLog(corpusLog('apply-json-with-outputs__apply.log'))
    expect(log.counts).toEqual({ add: 1, change: 0, destroy: 0, import: 0 })
    expect(log.resources).toEqual([
      { address: 'null_resource.foo', action: 'create', outcome: 'complete', elapsedSeconds: 0 }
    ])
    expect(log.outputs).toEqual([
      {
        name: 'complex',
        sensitive: false,
        value: { keyA: { someList: [1, 2, 3] }, keyB: { someBool: true, someStr: 'hello' } }
      },
      { name: 'secret', sensitive: true },
      { name: 'simple', sensitive: false, value: ['some', 'list'] }
    ])
    expect(log.sensitiveStrings).toEqual(['my-secret'])
    expect(JSON.stringify({ ...log, sensitiveStrings: [] })).not.toContain('my-secret')
    expect(log.diagnostics).toEqual([])
  })

  it('tells which resource errored and reads the diagnostic with its address and file:line', () => {
    const log = parseApplyLog(corpusLog('apply-json-with-provisioner-error__apply.log'))
    expect(log.counts).toBeUndefined()
    // The delete completed, then the create errored: a replace that failed.
    expect(log.resources).toEqual([
      { address: 'null_resource.foo', action: 'replace', outcome: 'errored', elapsedSeconds: 0 }
    ])
    expect(log.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        summary: 'local-exec provisioner error',
        detail: "Error running command 'exit 125': exit status 125. Output: ",
        address: 'null_resource.foo',
        filename: 'main.tf',
        line: 2
      })
    ])
  })

  it('keeps resources apart: what completed and what errored', () => {
    const hook = (addr: string, action: string) => ({ resource: { addr }, action })
    const log = parseApplyLog(
      [
        jsonLine({ type: 'apply_start', hook: hook('a.one', 'create') }),
        jsonLine({ type: 'apply_start', hook: hook('a.two', 'update') }),
        jsonLine({
          type: 'apply_complete',
          hook: { ...hook('a.one', 'create'), elapsed_seconds: 3 }
        }),
        jsonLine({ type: 'apply_errored', hook: hook('a.two', 'update') }),
        jsonLine({ type: 'apply_start', hook: hook('a.three', 'delete') })
      ].join('\n')
    )
    expect(log.resources.map(r => [r.address, r.action, r.outcome])).toEqual([
      ['a.one', 'create', 'complete'],
      ['a.two', 'update', 'errored'],
      ['a.three', 'delete', 'started']
    ])
  })

  it('counts imports, ignores a plan change summary, and treats an output of unknown sensitivity as sensitive', () => {
    const log = parseApplyLog(
      [
        jsonLine({
          type: 'change_summary',
          changes: { add: 9, change: 9, remove: 9, operation: 'plan' }
        }),
        jsonLine({
          type: 'change_summary',
          changes: { add: 1, change: 2, remove: 3, import: 4, operation: 'apply' }
        }),
        jsonLine({
          type: 'outputs',
          outputs: { maybe: { value: 'hunter2-password' }, short: { sensitive: true, value: 'ab' } }
        })
      ].join('\n')
    )
    expect(log.counts).toEqual({ add: 1, change: 2, destroy: 3, import: 4 })
    expect(log.outputs).toEqual([
      { name: 'maybe', sensitive: true },
      { name: 'short', sensitive: true }
    ])
    // Too short to mask without blanking the step log; never shown either way.
    expect(log.sensitiveStrings).toEqual(['hunter2-password'])
  })
})

describe('parseApplyLog: plain-text logs', () => {
  it('reads the Apply complete! line and the resources of an older run', () => {
    const log = parseApplyLog(corpusLog('apply__apply.log'))
    expect(log.counts).toEqual({ add: 1, change: 0, destroy: 0, import: 0 })
    expect(log.resources).toEqual([
      { address: 'null_resource.hello', action: 'create', outcome: 'complete' }
    ])
    expect(log.logTail).toBeDefined()
  })

  it('reads a destroy', () => {
    const log = parseApplyLog(corpusLog('apply-destroy__apply.log'))
    expect(log.counts).toEqual({ add: 0, change: 0, destroy: 1, import: 0 })
    expect(log.resources).toEqual([
      { address: 'null_resource.hello', action: 'delete', outcome: 'complete' }
    ])
  })

  it('reads outputs, leaving sensitive ones without a value, and Terraform errors', () => {
    const log = parseApplyLog(
      [
        'aws_instance.web: Creating...',
        'Error: Error launching source instance: InvalidKeyPair.NotFound',
        '',
        '  on main.tf line 12, in resource "aws_instance" "web":',
        '  12: resource "aws_instance" "web" {',
        '',
        'Apply complete! Resources: 2 imported, 1 added, 0 changed, 0 destroyed.',
        '',
        'Outputs:',
        '',
        'address = "10.0.0.1"',
        'password = <sensitive>'
      ].join('\n')
    )
    expect(log.counts).toEqual({ add: 1, change: 0, destroy: 0, import: 2 })
    expect(log.outputs).toEqual([
      { name: 'address', sensitive: false, value: '"10.0.0.1"' },
      { name: 'password', sensitive: true }
    ])
    expect(log.diagnostics[0]).toMatchObject({ filename: 'main.tf', line: 12 })
    expect(log.logTail).toBeUndefined()
  })
})
