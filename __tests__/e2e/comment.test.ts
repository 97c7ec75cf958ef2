// The pull-request comment end to end: sticky updates, the comment policies, long comment lists
// and pull requests from forks.
import { describe, expect, it } from '@jest/globals'
import { pullRequestEvent } from '../../test/sim/runner.mjs'
import { fixture, plainText, useWorld } from './world.js'
import type { World } from './world.js'

const CHANGES = fixture('plan-changes.json')

function addChangesRun(world: World, planJson = CHANGES) {
  return world.tfc.addRun({ workspace: 'network', organization: 'acme', planJson })
}

function commentWrites(world: World) {
  return world.github.requests.filter(req => req.method !== 'GET' && req.path.includes('/comments'))
}

describe('the sticky comment', () => {
  const world = useWorld()

  it('is updated in place when the step runs again', async () => {
    const first = await world().run({ 'run-id': addChangesRun(world()).id })
    const second = await world().run({
      'run-id': addChangesRun(world(), fixture('plan-create.json')).id
    })

    expect([first.code, second.code]).toEqual([0, 0])
    const comments = world().prComments()
    expect(comments).toHaveLength(1)
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id'])
    const body = plainText(comments[0].body)
    expect(body).toContain('module.dns.aws_route53_zone.internal')
    expect(body).not.toContain('aws_db_instance.legacy')
  })

  it('is found and updated when it sits on page 5 of the comment list', async () => {
    for (let i = 0; i < 450; i++) world().github.addComment(7, `Review note ${i}`)
    const first = await world().run({ 'run-id': addChangesRun(world()).id })
    world().github.addComment(7, 'A later review note')
    const second = await world().run({ 'run-id': addChangesRun(world()).id })

    expect([first.code, second.code]).toEqual([0, 0])
    expect(world().prComments()).toHaveLength(452)
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id'])
    const pages = world()
      .github.requests.filter(req => req.method === 'GET' && req.path.endsWith('/comments'))
      .map(req => Number(req.query.page ?? 1))
    expect(Math.max(...pages)).toBeGreaterThanOrEqual(5)
    expect(world().github.foreignWrites()).toEqual([])
  })

  it('becomes a new comment each time with comment: new', async () => {
    await world().run({ 'run-id': addChangesRun(world()).id, comment: 'new' })
    const second = await world().run({ 'run-id': addChangesRun(world()).id, comment: 'new' })

    expect(second.code).toBe(0)
    const comments = world().prComments()
    expect(comments).toHaveLength(2)
    expect(second.outputs['comment-id']).toBe(String(comments[1].id))
  })

  it('is not written with comment: off', async () => {
    const step = await world().run({ 'run-id': addChangesRun(world()).id, comment: 'off' })

    expect(step.code).toBe(0)
    expect(step.outputs.status).toBe('finished')
    expect(world().prComments()).toHaveLength(0)
    expect(commentWrites(world())).toEqual([])
  })

  it('is not written for a plan without changes with comment: changes-only', async () => {
    const run = addChangesRun(world(), fixture('plan-no-changes.json'))

    const step = await world().run({ 'run-id': run.id, comment: 'changes-only' })

    expect(step.code).toBe(0)
    expect(step.outputs['has-changes']).toBe('false')
    expect(step.outputs.add).toBe('0')
    expect(world().prComments()).toHaveLength(0)
    expect(commentWrites(world())).toEqual([])
  })
})

describe('a pull request from a fork', () => {
  const world = useWorld()

  it('warns that it cannot comment but still sets the outputs and the job summary', async () => {
    world().github.setPermission('fork')
    const run = addChangesRun(world())

    const step = await world().run(
      { 'run-id': run.id },
      { event: pullRequestEvent({ fork: true }) }
    )

    expect(step.code).toBe(0)
    expect(step.annotations.warnings.length).toBeGreaterThan(0)
    expect(step.outputs.status).toBe('finished')
    expect(step.outputs.summary).toBe('Plan: 4 to add, 1 to change, 2 to destroy.')
    expect(step.summary).toContain('Plan: 4 to add, 1 to change, 2 to destroy.')
    expect(world().prComments()).toHaveLength(0)
  })
})
