// Finding runs without a run ID, end to end: the runs HCP Terraform starts by itself for the pull
// request's head commit, in one workspace or several.
import { describe, expect, it } from '@jest/globals'
import { HEAD_SHA } from '../../test/sim/runner.mjs'
import { listRequests } from './run-lists.js'
import { fixture, useWorld } from './world.js'

const CHANGES = fixture('plan-changes.json')
const CREATE = fixture('plan-create.json')
const OTHER_COMMIT = 'f'.repeat(40)

describe('finding runs by workspace and commit', () => {
  const world = useWorld()
  const find = (inputs: Record<string, string> = {}) =>
    world().run({ organization: 'acme', workspace: 'network', ...inputs })

  it('waits for a run that appears after the step started', async () => {
    const { tfc } = world()
    tfc.addWorkspace({ name: 'network', organization: 'acme' })
    const step = find()
    await new Promise(resolve => setTimeout(resolve, 2500))
    const run = tfc.addRun({ workspace: 'network', planJson: CHANGES, commitSha: HEAD_SHA })

    const result = await step
    expect(result.code).toBe(0)
    expect(result.outputs['run-id']).toBe(run.id)
    expect(listRequests(tfc.requests).length).toBeGreaterThan(1)
  })

  it('takes the newest run of the head commit, plan_only included, and ignores other commits', async () => {
    const { tfc } = world()
    tfc.addRun({
      workspace: 'network',
      planJson: CREATE,
      commitSha: HEAD_SHA,
      operation: 'plan_and_apply',
      createdAt: Date.now() - 60_000
    })
    const newest = tfc.addRun({
      workspace: 'network',
      planJson: CHANGES,
      commitSha: HEAD_SHA,
      operation: 'plan_only',
      createdAt: Date.now() - 30_000
    })
    tfc.addRun({ workspace: 'network', planJson: CREATE, commitSha: OTHER_COMMIT })

    const result = await find()
    expect(result.code).toBe(0)
    expect(result.outputs['run-id']).toBe(newest.id)
    expect(result.outputs.summary).toBe('Plan: 4 to add, 1 to change, 2 to destroy.')
    const operations = listRequests(tfc.requests).map(r => r.query['filter[operation]'])
    expect(operations.every(operation => operation?.split(',').includes('plan_only'))).toBe(true)
  })

  it('finds an older run of the commit among many newer runs of other commits', async () => {
    const { tfc } = world()
    const run = tfc.addRun({
      workspace: 'network',
      planJson: CHANGES,
      commitSha: HEAD_SHA,
      createdAt: Date.now() - 600_000
    })
    for (let i = 0; i < 25; i++) {
      tfc.addRun({
        workspace: 'network',
        planJson: CREATE,
        commitSha: OTHER_COMMIT,
        createdAt: Date.now() - i * 1000
      })
    }
    const result = await find()
    expect(result.code).toBe(0)
    expect(result.outputs['run-id']).toBe(run.id)
  })

  it('fails clearly when no run shows up for the commit', async () => {
    const { tfc } = world()
    tfc.addRun({ workspace: 'network', planJson: CREATE, commitSha: OTHER_COMMIT })
    const result = await find({ 'wait-timeout': '4s' })
    expect(result.code).toBe(1)
    const error = result.annotations.errors.join('\n')
    expect(error).toContain('network')
    expect(error).toContain(HEAD_SHA)
    expect(error).toMatch(/fork/i)
    expect(world().prComments()).toHaveLength(0)
  })

  it('covers three workspaces matched by a wildcard, one of them errored', async () => {
    const { tfc } = world()
    for (const name of ['app-c', 'app-a']) {
      tfc.addRun({
        workspace: name,
        planJson: CHANGES,
        commitSha: HEAD_SHA,
        statuses: ['running', 'finished']
      })
    }
    tfc.addRun({
      workspace: 'app-b',
      planJson: CHANGES,
      commitSha: HEAD_SHA,
      statuses: ['running', 'errored']
    })
    tfc.addRun({ workspace: 'other', planJson: CREATE, commitSha: HEAD_SHA })

    const result = await find({ workspace: 'app-*' })
    expect(result.code).toBe(1)
    expect(result.outputs.workspace).toBe('app-a,app-b,app-c')
    expect(result.outputs.status).toBe('errored')
    expect(result.outputs['failed-checks']).toBe('app-b:errored')
    expect(result.outputs.add).toBe('8')
    expect(JSON.parse(result.outputs.results)).toHaveLength(3)
    expect(world().prComments()).toHaveLength(3)
  })
})

describe('finding runs on an older Terraform Enterprise without the organization run list', () => {
  const world = useWorld({ organizationRunList: false })

  it("lists each workspace's runs instead, and waits for each run on its own", async () => {
    const { tfc } = world()
    const runs = ['app-a', 'app-b'].map(name =>
      tfc.addRun({
        workspace: name,
        planJson: CHANGES,
        commitSha: HEAD_SHA,
        statuses: ['running', 'running', 'finished']
      })
    )
    const result = await world().run({ organization: 'acme', workspace: 'app-*' })
    expect(result.code).toBe(0)
    expect(result.outputs['run-id']).toBe(runs.map(run => run.id).join(','))
    const lists = listRequests(tfc.requests)
    expect(lists.filter(list => list.path.startsWith('/api/v2/organizations/'))).toHaveLength(2)
    expect(lists.filter(list => list.path.startsWith('/api/v2/workspaces/'))).toHaveLength(2)
    expect(result.log).toContain('no organization run list')
  })
})

describe('finding many runs through the organization run list', () => {
  const world = useWorld()

  it('polls the statuses of all runs with one run list a round, then each finished run once', async () => {
    const { tfc } = world()
    const names = ['svc-a', 'svc-b', 'svc-c', 'svc-d', 'svc-e', 'svc-f']
    const runs = names.map(name =>
      tfc.addRun({
        workspace: name,
        planJson: CREATE,
        commitSha: HEAD_SHA,
        statuses: ['pending', 'running', 'running', 'finished']
      })
    )
    const result = await world().run({
      organization: 'acme',
      workspace: 'svc-*',
      'comment-mode': 'combined'
    })
    expect(result.code).toBe(0)
    expect(result.outputs['run-id']).toBe(runs.map(run => run.id).join(','))
    const lists = listRequests(tfc.requests)
    expect(lists.every(list => list.path === '/api/v2/organizations/acme/runs')).toBe(true)
    expect(lists.every(list => list.query['filter[workspace_names]']?.startsWith('svc-'))).toBe(
      true
    )
    // Discovery, then the rounds until every plan finished: one list each.
    expect(lists).toHaveLength(4)
    for (const run of runs) {
      const polls = tfc.requests.filter(request => request.path === `/api/v2/runs/${run.id}`)
      expect(polls).toHaveLength(1)
    }
    expect(world().prComments()).toHaveLength(1)
  })
})
