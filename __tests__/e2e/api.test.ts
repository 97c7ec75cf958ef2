// HCP Terraform as it really behaves, end to end: JSON plans that are not ready yet, archivist
// redirects, tokens that may only read, rate limits, server errors, Sentinel exports, cancellation.
import { describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { fault, on } from '../../test/sim/tfc.mjs'
import { fixture, plainText, useWorld } from './world.js'
import type { World } from './world.js'

const CHANGES = fixture('plan-changes.json')
const CHANGES_SUMMARY = 'Plan: 4 to add, 1 to change, 2 to destroy.'

function addChangesRun(world: World, spec: Partial<Parameters<World['tfc']['addRun']>[0]> = {}) {
  return world.tfc.addRun({
    workspace: 'network',
    organization: 'acme',
    planJson: CHANGES,
    ...spec
  })
}

describe('the JSON plan', () => {
  const world = useWorld()

  it('is fetched again after 204s and from the archivist without the token', async () => {
    const run = addChangesRun(world(), { jsonOutputNotReadyPolls: 2 })

    const step = await world().run({ 'run-id': run.id })

    expect(step.code).toBe(0)
    const { tfc } = world()
    const jsonOutput = tfc.requests.filter(req => req.path.endsWith('/json-output'))
    expect(jsonOutput.length).toBeGreaterThanOrEqual(3)
    const archivist = tfc.requests.filter(req => req.origin === tfc.archivistUrl)
    expect(archivist.length).toBeGreaterThan(0)
    expect(archivist.filter(req => req.headers.authorization !== undefined)).toEqual([])
    expect(tfc.tokenLeaks).toEqual([])
    expect(plainText(world().prComments()[0].body)).toContain('aws_instance.web')
  })

  it('falls back to the redacted JSON when the token may only read', async () => {
    const run = addChangesRun(world())

    const step = await world().run({ 'run-id': run.id, token: world().tfc.tokens.read ?? '' })

    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({ status: 'finished', add: '4', summary: CHANGES_SUMMARY })
    const body = plainText(world().prComments()[0].body)
    expect(body).toContain('aws_instance.web')
    expect(body).toContain('aws_db_instance.legacy')
  })

  it('falls back to the API counts with a note when neither JSON is available', async () => {
    const run = addChangesRun(world(), { tokenRole: 'read', redactedJson: null })

    const step = await world().run({ 'run-id': run.id })

    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      status: 'finished',
      'has-changes': 'true',
      add: '4',
      change: '1',
      destroy: '2',
      summary: CHANGES_SUMMARY
    })
    const body = plainText(world().prComments()[0].body)
    expect(body).toContain(CHANGES_SUMMARY)
    expect(body).not.toContain('aws_instance.web')
    // The note says why detail is missing and how to get it (a workspace admin token).
    expect(body).toMatch(/admin/i)
    expect(step.summary).toMatch(/admin/i)
    expect(step.annotations.warnings.join('\n')).toMatch(/admin/i)
  })
})

describe('a flaky API', () => {
  const world = useWorld()

  it('waits out 429s for the X-RateLimit-Reset time and carries on', async () => {
    const run = addChangesRun(world())
    world().tfc.faults.push(fault.rateLimit(on('GET', '/api/v2/runs/:id'), { times: 2 }))

    const step = await world().run({ 'run-id': run.id })

    expect(step.code).toBe(0)
    expect(step.outputs.summary).toBe(CHANGES_SUMMARY)
    const runReads = world().tfc.requests.filter(req => req.path === `/api/v2/runs/${run.id}`)
    expect(runReads.length).toBeGreaterThanOrEqual(3)
    // Retried after the 0.5 s reset, not at once.
    expect(runReads[1].at - runReads[0].at).toBeGreaterThanOrEqual(450)
    expect(runReads[2].at - runReads[1].at).toBeGreaterThanOrEqual(450)
  })

  it('retries server errors, HTML error pages and dropped connections', async () => {
    const run = addChangesRun(world())
    const { faults } = world().tfc
    faults.push(fault.serverError(on('GET', '/api/v2/runs/:id')))
    faults.push(fault.htmlError(on('GET', '/api/v2/runs/:id')))
    faults.push(fault.resetConnection(on('GET', /\/json-output$/)))

    const step = await world().run({ 'run-id': run.id })

    expect(step.code).toBe(0)
    expect(step.outputs.summary).toBe(CHANGES_SUMMARY)
    expect(faults).toEqual([])
    expect(plainText(world().prComments()[0].body)).toContain('aws_instance.web')
  })

  it('fetches a fresh archivist URL when a download is cut short', async () => {
    const run = addChangesRun(world())
    const { tfc } = world()
    tfc.faults.push(
      fault.truncate(
        req => req.origin === tfc.archivistUrl && req.path !== new URL(run.logUrl).pathname
      )
    )

    const step = await world().run({ 'run-id': run.id })

    expect(step.code).toBe(0)
    expect(step.outputs['has-changes']).toBe('true')
    expect(plainText(world().prComments()[0].body)).toContain('aws_instance.web')
  })
})

describe('Sentinel mocks', () => {
  const world = useWorld()

  it('exports, unpacks and then deletes the plan export', async () => {
    const run = addChangesRun(world(), { exportStatuses: ['queued', 'finished'] })

    const step = await world().run({ 'run-id': run.id, 'sentinel-mocks': 'true' })

    expect(step.code).toBe(0)
    expect(readdirSync(step.outputs['sentinel-mocks-path']).sort()).toEqual([
      'mock-tfconfig-v2.sentinel',
      'mock-tfplan-v2.sentinel',
      'mock-tfrun.sentinel',
      'mock-tfstate-v2.sentinel',
      'sentinel.hcl'
    ])
    const deletes = world().tfc.requests.filter(req => req.method === 'DELETE')
    expect(deletes.map(req => req.path)).toEqual([
      expect.stringMatching(/^\/api\/v2\/plan-exports\/pe-/)
    ])
  })

  it('fails the step when required and the export errors', async () => {
    const run = addChangesRun(world(), { exportStatuses: ['pending', 'errored'] })

    const step = await world().run({ 'run-id': run.id, 'sentinel-mocks': 'required' })

    expect(step.code).toBe(1)
    expect(step.annotations.errors.join('\n')).toMatch(/sentinel|export/i)
  })
})

describe('cancellation', () => {
  const world = useWorld()

  it('stops waiting promptly when the runner sends SIGTERM', async () => {
    const run = addChangesRun(world(), { statuses: ['running'], advance: 'manual' })

    const step = await world().run(
      { 'run-id': run.id, 'wait-timeout': '60s' },
      { signal: { name: 'SIGTERM', afterMs: 1500 } }
    )

    expect(step.code === 0).toBe(false)
    expect(step.durationMs).toBeLessThan(8_000)
  })
})
