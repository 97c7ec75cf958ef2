// After the merge: `wait-for: apply` waits for the run's apply, and reports it on the merged pull
// request, in the job summary, the outputs, the gates and commit statuses. Real apply logs of
// both kinds (structured JSON lines and plain text) come from the Terraform corpus.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { HEAD_SHA } from '../../test/sim/runner.mjs'
import type { RunSpec } from '../../test/sim/tfc.mjs'
import { removeStepDirs } from '../helpers/run-action.js'
import { everythingShown, expectNoLeaks, fixture, plainText, startWorld } from './world.js'
import type { World } from './world.js'

const CORPUS = fileURLToPath(new URL('../../test/data/terraform-corpus/cloud/', import.meta.url))
const applyLog = (name: string): string => readFileSync(path.join(CORPUS, name), 'utf8')
/** The sensitive output of the corpus log with outputs. */
const SECRET_OUTPUT = 'my-secret'
const MERGED_PR = 12
const OTHER_PR = 13
/** A pushed commit that no pull request holds. */
const DIRECT_PUSH_SHA = 'd1ec7d1ec7d1ec7d1ec7d1ec7d1ec7d1ec7d1ec7'
const APPLYING = [
  { plan: 'finished', run: 'apply_queued' },
  { plan: 'finished', run: 'applying' }
]

let world: World
beforeAll(async () => {
  world = await startWorld(
    {},
    {
      pullRequests: [
        { number: MERGED_PR, headSha: 'f'.repeat(40), mergeCommitSha: HEAD_SHA },
        { number: OTHER_PR }
      ]
    }
  )
})
afterEach(() => expectNoLeaks(world))
afterAll(async () => {
  await world.close()
  await removeStepDirs()
})

/** A plan_and_apply run of `workspace` that ends as `final` after applying. */
function addApplyRun(workspace: string, final: string, spec: Partial<RunSpec> = {}) {
  return world.tfc.addRun({
    workspace,
    operation: 'plan_and_apply',
    planJson: fixture('plan-changes.json'),
    statuses: [...APPLYING, { plan: 'finished', run: final }],
    ...spec
  })
}

function push(inputs: Record<string, string>) {
  return world.run({ 'wait-for': 'apply', ...inputs }, { eventName: 'push' })
}

/** The apply comments on a pull request (the plan comments carry a marker without "apply"). */
function applyComments(prNumber: number, workspace: string) {
  return world.github.comments.filter(
    comment =>
      comment.issue_number === prNumber &&
      comment.body.startsWith(`<!-- tfc-plan-summary:apply%3A${workspace}:`)
  )
}

describe('wait-for: apply', () => {
  it('finds the merge commit’s run on a push, reports the apply with its outputs on the merged pull request, and never shows a sensitive output', async () => {
    // A speculative plan of the same commit is newer: discovery must skip it.
    const run = addApplyRun('app-prod', 'applied', {
      commitSha: HEAD_SHA,
      applyLogText: applyLog('apply-json-with-outputs__apply.log'),
      createdAt: Date.now() - 60_000
    })
    world.tfc.addRun({ workspace: 'app-prod', operation: 'plan_only', commitSha: HEAD_SHA })

    const step = await push({ workspace: 'app-prod', organization: 'acme' })

    expect(step.stderr).toBe('')
    expect(step.code).toBe(0)
    expect(step.log).toContain(`app-prod: found run ${run.id}`)
    expect(step.log).toMatch(/Applying\.\.\. \(plan status: finished, run status: applying/)
    expect(step.outputs).toMatchObject({
      'run-id': run.id,
      'apply-status': 'applied',
      'applied-add': '1',
      'applied-change': '0',
      'applied-destroy': '0',
      'applied-import': '0',
      'failed-checks': ''
    })
    expect(JSON.parse(step.outputs['terraform-outputs'])).toEqual({
      complex: { keyA: { someList: [1, 2, 3] }, keyB: { someBool: true, someStr: 'hello' } },
      simple: ['some', 'list']
    })
    const [result] = JSON.parse(step.outputs.results)
    expect(result.apply).toMatchObject({
      status: 'applied',
      counts: { add: 1, change: 0, destroy: 0, import: 0 },
      outputs: [
        { name: 'complex', sensitive: false },
        { name: 'secret', sensitive: true },
        { name: 'simple', sensitive: false }
      ]
    })
    expect(step.annotations.masks).toContain(SECRET_OUTPUT)

    const [comment, ...others] = applyComments(MERGED_PR, 'app-prod')
    expect(others).toEqual([])
    const text = plainText(comment.body)
    expect(text).toContain('Terraform apply: applied')
    expect(text).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.')
    expect(text).toContain(HEAD_SHA.slice(0, 7))
    expect(text).toContain('(sensitive value)')
    expect(text).toContain('hello')
    expect(comment.body).toContain(run.id)
    expect(plainText(step.summary)).toContain('Apply complete! Resources: 1 added')
    expect(plainText(step.summary)).toContain('(sensitive value)')
    // No apply comment on a pull request the commit does not belong to.
    expect(applyComments(OTHER_PR, 'app-prod')).toEqual([])
    expect(everythingShown(world)).not.toContain(SECRET_OUTPUT)

    // A re-run of the job edits the same comment.
    const again = await push({ workspace: 'app-prod', organization: 'acme' })
    expect(again.code).toBe(0)
    expect(applyComments(MERGED_PR, 'app-prod').map(c => c.id)).toEqual([comment.id])
    expect(everythingShown(world)).not.toContain(SECRET_OUTPUT)
  })

  it('reports several workspaces in one combined comment, with the worst status and the sums', async () => {
    addApplyRun('svc-api', 'applied', { commitSha: HEAD_SHA, applyCounts: { add: 2, change: 1 } })
    addApplyRun('svc-web', 'discarded', {
      commitSha: HEAD_SHA,
      statuses: [{ plan: 'finished', run: 'discarded' }]
    })

    const step = await push({
      workspace: 'svc-*',
      organization: 'acme',
      'comment-mode': 'combined'
    })

    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      workspace: 'svc-api,svc-web',
      'apply-status': 'discarded',
      'applied-add': '2',
      'applied-change': '1'
    })
    expect(JSON.parse(step.outputs['terraform-outputs'])).toEqual({ 'svc-api': {}, 'svc-web': {} })
    const [combined, ...others] = applyComments(MERGED_PR, 'combined')
    expect(others).toEqual([])
    expect(combined.body).toContain('Terraform applies for 2 workspaces')
    expect(applyComments(MERGED_PR, 'svc-api')).toEqual([])
  })

  it('fails the step on an errored apply and names the resource and main.tf:2 in the comment and the summary', async () => {
    const run = addApplyRun('app-errored', 'errored', {
      applyLogText: applyLog('apply-json-with-provisioner-error__apply.log'),
      applyCounts: { add: 0, change: 0, destroy: 1 }
    })

    const step = await push({ 'run-id': run.id, 'commit-sha': HEAD_SHA })

    expect(step.code).toBe(1)
    expect(step.outputs).toMatchObject({
      'apply-status': 'errored',
      'applied-destroy': '1',
      'failed-checks': 'errored'
    })
    expect(step.annotations.errors.join('\n')).toContain(
      'The apply errored: null_resource.foo (local-exec provisioner error)'
    )
    const [comment] = applyComments(MERGED_PR, 'app-errored')
    for (const text of [plainText(comment.body), plainText(step.summary)]) {
      expect(text).toContain('Terraform apply: apply errored')
      expect(text).toContain('null_resource.foo')
      expect(text).toContain('local-exec provisioner error')
      expect(text).toMatch(/on <code>main\.tf<\/code> line 2/)
      expect(text).toContain('exit status 125')
      // Which resources completed, which errored.
      expect(text).toMatch(/null_resource\.foo<\/code> \| replace \| ❌ errored/)
    }
  })

  it('reports a run awaiting confirmation when wait-timeout ends: not failed by default, failed with fail-on: unapplied', async () => {
    const run = world.tfc.addRun({
      workspace: 'app-confirm',
      operation: 'plan_and_apply',
      planJson: fixture('plan-changes.json'),
      statuses: [{ plan: 'finished', run: 'planned' }]
    })

    const step = await push({ 'run-id': run.id, 'wait-timeout': '2s', 'commit-sha': HEAD_SHA })

    expect(step.code).toBe(0)
    expect(step.outputs['apply-status']).toBe('awaiting-confirmation')
    expect(step.log).toContain('Waiting for the run to be confirmed...')
    const text = plainText(applyComments(MERGED_PR, 'app-confirm')[0].body)
    expect(text).toContain('the run awaits confirmation')
    expect(text).toContain(`${world.tfc.url}/app/acme/app-confirm/runs/${run.id}`)

    const gated = await push({
      'run-id': run.id,
      'wait-timeout': '1s',
      'commit-sha': HEAD_SHA,
      'fail-on': 'errored,unapplied'
    })
    expect(gated.code).toBe(1)
    expect(gated.outputs['failed-checks']).toBe('unapplied')
    expect(gated.annotations.errors.join('\n')).toContain(
      'fail-on unapplied: Nothing was applied: awaiting confirmation in HCP Terraform'
    )
  })

  it('reports a discarded run as such', async () => {
    const run = addApplyRun('app-discarded', 'discarded', {
      statuses: [{ plan: 'finished', run: 'discarded' }]
    })

    const step = await push({ 'run-id': run.id, 'commit-sha': HEAD_SHA })

    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({ 'apply-status': 'discarded', 'applied-add': '0' })
    expect(plainText(step.summary)).toContain('Nothing was applied: the run was discarded')
    // A discarded run never applied: its apply (and its log) is not read.
    expect(
      world.tfc.requests.filter(req => req.path.includes(run.id) && req.path.endsWith('/apply'))
    ).toEqual([])
  })

  it('reports a run without changes as nothing to apply, and comment: changes-only leaves it alone', async () => {
    const run = world.tfc.addRun({
      workspace: 'app-unchanged',
      operation: 'plan_and_apply',
      planJson: fixture('plan-no-changes.json'),
      statuses: ['running', 'finished']
    })

    const step = await push({ 'run-id': run.id, 'commit-sha': HEAD_SHA, comment: 'changes-only' })

    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      'run-status': 'planned_and_finished',
      'apply-status': 'nothing-to-apply'
    })
    expect(applyComments(MERGED_PR, 'app-unchanged')).toEqual([])
    expect(plainText(step.summary)).toContain('Terraform apply: nothing to apply')
  })

  it('reads a plain-text apply log of an older run given by run-id', async () => {
    const run = addApplyRun('app-legacy', 'applied', {
      planJson: undefined,
      terraformVersion: '0.11.10',
      counts: { add: 1 },
      applyLogText: applyLog('apply__apply.log')
    })

    const step = await push({ 'run-id': run.id, 'commit-sha': HEAD_SHA })

    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({ 'apply-status': 'applied', 'applied-add': '1' })
    const [result] = JSON.parse(step.outputs.results)
    expect(result.apply.resources).toEqual([
      { address: 'null_resource.hello', action: 'create', outcome: 'complete' }
    ])
  })

  it('refuses a speculative run with a clear error before waiting', async () => {
    const run = world.tfc.addRun({ workspace: 'app-pr', statuses: ['running', 'finished'] })

    const step = await push({ 'run-id': run.id, 'commit-sha': HEAD_SHA })

    expect(step.code).toBe(1)
    const error = step.annotations.errors.join('\n')
    expect(error).toContain('Input `wait-for` is "apply"')
    expect(error).toContain('speculative plan (operation plan_only)')
    expect(world.tfc.requests.filter(req => req.path === `/api/v2/runs/${run.id}`)).toHaveLength(1)
  })

  it('sets a commit status per workspace: pending, then success; a 403 is a warning naming statuses: write', async () => {
    const run = addApplyRun('app-status', 'applied')

    const step = await push({ 'run-id': run.id, 'commit-sha': HEAD_SHA, 'commit-status': 'true' })

    expect(step.code).toBe(0)
    const statuses = world.github.statuses.filter(s => s.context === 'terraform/apply (app-status)')
    expect(statuses.map(s => [s.sha, s.state])).toEqual([
      [HEAD_SHA, 'pending'],
      [HEAD_SHA, 'success']
    ])
    expect(statuses[1].target_url).toBe(`${world.tfc.url}/app/acme/app-status/runs/${run.id}`)
    expect(statuses[1].description).toMatch(/^Applied\. Resources: \d+ added/)

    const refused = addApplyRun('app-refused', 'errored')
    world.github.faults.push({
      match: req => req.method === 'POST' && req.path.includes('/statuses/'),
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    const warned = await push({
      'run-id': refused.id,
      'commit-sha': HEAD_SHA,
      'commit-status': 'true',
      'fail-on': 'none'
    })
    expect(warned.code).toBe(0)
    expect(warned.annotations.warnings.join('\n')).toContain('statuses: write')
    expect(
      world.github.statuses.filter(s => s.context === 'terraform/apply (app-refused)')
    ).toEqual([])
  })

  it('fails when the wait ends during the apply, and leaves no commit status pending', async () => {
    const run = world.tfc.addRun({
      workspace: 'app-slow',
      operation: 'plan_and_apply',
      statuses: [{ plan: 'finished', run: 'applying' }]
    })

    const step = await push({
      'run-id': run.id,
      'commit-sha': HEAD_SHA,
      'commit-status': 'true',
      'wait-timeout': '1s'
    })

    expect(step.code).toBe(1)
    expect(step.annotations.errors.join('\n')).toContain('run status "applying"')
    const statuses = world.github.statuses.filter(s => s.context === 'terraform/apply (app-slow)')
    expect(statuses.map(s => s.state)).toEqual(['pending', 'error'])
  })

  it('on a direct push without a pull request writes the job summary only, and says so', async () => {
    const run = addApplyRun('app-direct', 'applied')
    const before = world.github.comments.length

    const step = await push({ 'run-id': run.id, 'commit-sha': DIRECT_PUSH_SHA })

    expect(step.code).toBe(0)
    expect(step.annotations.notices.join('\n')).toContain(
      'belongs to no pull request (a direct push)'
    )
    expect(world.github.comments).toHaveLength(before)
    expect(plainText(step.summary)).toContain('Terraform apply: applied')
  })

  it('warns, naming the permission, when GitHub refuses to list the commit’s pull requests', async () => {
    const run = addApplyRun('app-unlisted', 'applied')
    world.github.faults.push({
      match: req => req.path.endsWith('/pulls') && req.path.includes('/commits/'),
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })

    const step = await push({ 'run-id': run.id, 'commit-sha': HEAD_SHA })

    expect(step.code).toBe(0)
    expect(step.annotations.warnings.join('\n')).toContain('pull-requests: write')
    expect(applyComments(MERGED_PR, 'app-unlisted')).toEqual([])
    expect(step.outputs['apply-status']).toBe('applied')
  })

  it('masks what the mask input matches in the apply comment, the summary and the outputs', async () => {
    const run = addApplyRun('app-masked', 'applied', {
      applyLogText: applyLog('apply-json-with-outputs__apply.log')
    })

    const step = await push({ 'run-id': run.id, mask: 'hel+o' })

    expect(step.code).toBe(0)
    const [comment] = applyComments(MERGED_PR, 'app-masked')
    expect(plainText(comment.body)).toContain('(masked)')
    for (const shown of [comment.body, step.summary, step.outputs['terraform-outputs']]) {
      expect(shown).not.toContain('hello')
    }
    expect(JSON.parse(step.outputs['terraform-outputs']).complex.keyB.someStr).toBe('(masked)')
  })
})
