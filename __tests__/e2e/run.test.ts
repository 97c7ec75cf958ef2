// The action end to end, as a workflow step: finding and waiting for runs, the outputs, the job
// summary and the exit code.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { HEAD_SHA } from '../../test/sim/runner.mjs'
import { everythingShown, fixture, plainText, SENSITIVE_VALUES, useWorld } from './world.js'

const CHANGES = fixture('plan-changes.json')
const CHANGED_ADDRESSES = [
  'aws_s3_bucket.logs',
  'aws_iam_role.deploy',
  'aws_ssm_parameter.db_password',
  'aws_security_group.web',
  'aws_instance.web',
  'aws_db_instance.legacy'
]
const CHANGES_SUMMARY = 'Plan: 4 to add, 1 to change, 2 to destroy.'

describe('a run that plans changes', () => {
  const world = useWorld()

  it('waits pending → planning → finished and publishes outputs, summary and one comment', async () => {
    const { tfc } = world()
    const run = tfc.addRun({
      workspace: 'network',
      organization: 'acme',
      planJson: CHANGES,
      statuses: ['pending', 'running', 'finished'],
      jsonOutputNotReadyPolls: 1
    })

    const step = await world().run({ 'run-id': run.id })

    expect(step.stderr).toBe('')
    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      'run-id': run.id,
      'plan-id': run.planId,
      organization: 'acme',
      workspace: 'network',
      'run-url': `${tfc.url}/app/acme/network/runs/${run.id}`,
      status: 'finished',
      'has-changes': 'true',
      add: '4',
      change: '1',
      destroy: '2',
      import: '0',
      replace: '1',
      move: '0',
      forget: '0',
      summary: CHANGES_SUMMARY,
      'failed-checks': ''
    })
    const polls = tfc.requests.filter(
      req => req.path.includes(run.id) || req.path.includes(run.planId)
    )
    expect(polls.length).toBeGreaterThanOrEqual(3)

    expect(existsSync(step.outputs['json-path'])).toBe(true)
    expect(JSON.parse(readFileSync(step.outputs['json-path'], 'utf8'))).toEqual(
      JSON.parse(readFileSync(CHANGES, 'utf8'))
    )
    expect(step.summary).toContain(CHANGES_SUMMARY)

    const comments = world().prComments()
    expect(comments).toHaveLength(1)
    expect(step.outputs['comment-id']).toBe(String(comments[0].id))
    expect(step.outputs['comment-url']).toBe(comments[0].html_url)
    const body = plainText(comments[0].body)
    expect(body).toContain(CHANGES_SUMMARY)
    for (const address of CHANGED_ADDRESSES) expect(body).toContain(address)

    const results = JSON.parse(step.outputs.results)
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({ runId: run.id, planId: run.planId, status: 'finished' })
  })

  it('never shows the values the plan marks sensitive', async () => {
    const run = world().tfc.addRun({ workspace: 'network', planJson: CHANGES })
    const step = await world().run({ 'run-id': run.id })
    expect(step.code).toBe(0)
    const shown = everythingShown(world())
    expect(SENSITIVE_VALUES.filter(value => shown.includes(value))).toEqual([])
  })

  it('accepts a plan ID instead of a run ID', async () => {
    const run = world().tfc.addRun({ workspace: 'network', planJson: CHANGES })
    const step = await world().run({ 'plan-id': run.planId })
    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      'plan-id': run.planId,
      status: 'finished',
      add: '4',
      summary: CHANGES_SUMMARY
    })
    expect(world().prComments()).toHaveLength(1)
  })

  it('summarizes several runs, one comment per workspace', async () => {
    const { tfc } = world()
    const network = tfc.addRun({ workspace: 'network', organization: 'acme', planJson: CHANGES })
    const dns = tfc.addRun({
      workspace: 'dns',
      organization: 'acme',
      planJson: fixture('plan-create.json'),
      statuses: ['running', 'finished']
    })

    const step = await world().run({ 'run-id': `${network.id}, ${dns.id}` })

    expect(step.code).toBe(0)
    expect(step.outputs['run-id']).toBe(`${network.id},${dns.id}`)
    expect(step.outputs.workspace).toBe('network,dns')
    expect(step.outputs.status).toBe('finished')
    expect(step.outputs['has-changes']).toBe('true')
    expect(JSON.parse(step.outputs.results)).toHaveLength(2)
    const bodies = world()
      .prComments()
      .map(comment => plainText(comment.body))
    expect(bodies).toHaveLength(2)
    expect(bodies.filter(body => body.includes('aws_db_instance.legacy'))).toHaveLength(1)
    expect(
      bodies.filter(body => body.includes('module.dns.aws_route53_zone.internal'))
    ).toHaveLength(1)
    expect(step.summary).toContain(CHANGES_SUMMARY)
    expect(step.summary).toContain('Plan: 1 to add, 0 to change, 0 to destroy.')
  })

  it('finds the run of the pull request head commit by workspace', async () => {
    const { tfc } = world()
    tfc.addRun({
      workspace: 'network',
      organization: 'acme',
      planJson: CHANGES,
      commitSha: 'f'.repeat(40)
    })
    const run = tfc.addRun({
      workspace: 'network',
      organization: 'acme',
      planJson: CHANGES,
      commitSha: HEAD_SHA,
      pullRequestNumber: 7,
      statuses: ['running', 'finished']
    })

    const step = await world().run({ workspace: 'network', organization: 'acme' })

    expect(step.code).toBe(0)
    expect(step.outputs['run-id']).toBe(run.id)
    expect(step.outputs.summary).toBe(CHANGES_SUMMARY)
  })
})

describe('a run that does not end well', () => {
  const world = useWorld()

  it('fails an errored plan after writing outputs, summary and comment with the diagnostic', async () => {
    const run = world().tfc.addRun({
      workspace: 'network',
      statuses: ['running', 'errored'],
      logText: readFileSync(fixture('plan-errored.log'), 'utf8')
    })

    const step = await world().run({ 'run-id': run.id })

    expect(step.code).toBe(1)
    expect(step.outputs.status).toBe('errored')
    expect(step.outputs['failed-checks']).toContain('errored')
    expect(step.summary).toContain('Invalid reference')
    const comments = world().prComments()
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain('Invalid reference')
    expect(step.annotations.errors.join('\n')).toMatch(/errored/)
  })

  it('gives up after wait-timeout and names the last status', async () => {
    const run = world().tfc.addRun({
      workspace: 'network',
      statuses: ['running'],
      advance: 'manual'
    })

    const step = await world().run({ 'run-id': run.id, 'wait-timeout': '3s' })

    expect(step.code).toBe(1)
    expect(step.durationMs).toBeLessThan(15_000)
    expect(step.annotations.errors.join('\n')).toMatch(/running|planning/)
  })

  it('rejects a malformed run ID before any network request', async () => {
    const step = await world().run({ 'run-id': 'run-123' })

    expect(step.code).toBe(1)
    expect(step.annotations.errors.join('\n')).toContain('run-id')
    expect(world().tfc.requests).toEqual([])
    expect(world().github.requests).toEqual([])
  })

  it('fails on a destroy when fail-on names it, and says which check tripped', async () => {
    const run = world().tfc.addRun({ workspace: 'network', planJson: CHANGES })

    const step = await world().run({ 'run-id': run.id, 'fail-on': 'errored, destroy' })

    expect(step.code).toBe(1)
    expect(step.outputs['failed-checks']).toBe('destroy')
    expect(step.annotations.errors.join('\n')).toContain('destroy')
    expect(world().prComments()).toHaveLength(1)
  })

  it('fails when a protected resource would be replaced or destroyed', async () => {
    const run = world().tfc.addRun({ workspace: 'network', planJson: CHANGES })

    const step = await world().run({ 'run-id': run.id, protect: 'aws_db_instance.*' })

    expect(step.code).toBe(1)
    expect(step.outputs['failed-checks']).toBe('protect')
    expect(step.annotations.errors.join('\n')).toContain('aws_db_instance.legacy')
  })
})
