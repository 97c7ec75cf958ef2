// Plans the fuzzing of corpus plans (__tests__/corpus/fuzz.test.ts) found to break the action, kept
// as fixed cases that run without the corpus. Before the fixes each one crashed deep inside the
// model or the renderers with a TypeError, gave a resource a function for its action, or took
// seconds per resource to render; now each is rendered, or rejected with a short PlanParseError
// (which the action turns into a counts-only summary).
import { describe, expect, it } from '@jest/globals'
import { RESOURCE_ACTIONS, buildPlanModel } from '../../src/plan/model.js'
import type { PlanModel } from '../../src/plan/model.js'
import { PlanParseError, parseJsonPlan } from '../../src/plan/parse.js'
import { renderComment, renderSummary } from '../../src/render/report.js'
import type { WorkspaceResult } from '../../src/result.js'

const resource = {
  address: 'aws_instance.web',
  type: 'aws_instance',
  name: 'web',
  change: { actions: ['update'], before: { a: 1 }, after: { a: 2 } }
}
const base = { format_version: '1.2', resource_changes: [resource] }

function withResource(extra: object, change: object = {}): object {
  return {
    ...base,
    resource_changes: [{ ...resource, ...extra, change: { ...resource.change, ...change } }]
  }
}

function withFailedCheck(check: object): object {
  return { ...base, checks: [{ status: 'fail', address: { to_display: 'check.ok' }, ...check }] }
}

function result(model: PlanModel): WorkspaceResult {
  return {
    hostname: 'app.terraform.io',
    planId: 'plan-AAAAAAAAAAAAAAAA',
    status: 'finished',
    model,
    diagnostics: [],
    gates: [],
    warnings: []
  }
}

/** The comment and the summary, or the PlanParseError that stopped the plan being read. */
function readAndRender(
  plan: object | string
): { comment: string; summary: string } | PlanParseError {
  let model: PlanModel
  try {
    const text = typeof plan === 'string' ? plan : JSON.stringify(plan)
    model = buildPlanModel(parseJsonPlan(text), 'json')
  } catch (error) {
    if (!(error instanceof PlanParseError)) throw error
    return error
  }
  const changes = [...model.resources, ...model.drift, ...model.outputs]
  expect(changes.map(change => change.action).filter(a => !RESOURCE_ACTIONS.includes(a))).toEqual(
    []
  )
  const results = [result(model)]
  return {
    comment: renderComment(results, { details: true, maxLength: 65_536 }),
    summary: renderSummary(results, { details: true, maxLength: 1_000_000 })
  }
}

describe('plans with malformed parts', () => {
  it.each([
    [
      'an output action named __proto__',
      { ...base, output_changes: { out: { actions: ['__proto__'], before: 1, after: 2 } } }
    ],
    ['a resource action named constructor', withResource({}, { actions: ['constructor'] })],
    ['terraform_version not a string', { ...base, terraform_version: { k: 1 } }],
    ['previous_address not a string', withResource({ previous_address: 5 })],
    ['previous_address null', withResource({ previous_address: null })],
    ['deposed not a string', withResource({ deposed: 7 })],
    [
      'module_address not a string',
      withResource(
        { module_address: 5, action_reason: 'delete_because_no_module' },
        { actions: ['delete'] }
      )
    ],
    ['an import ID not a string', withResource({}, { actions: ['no-op'], importing: { id: 5 } })],
    ['check instances not a list', withFailedCheck({ instances: 'x' })],
    ['a check problem null', withFailedCheck({ instances: [{ problems: [null] }] })],
    [
      'a check problem message not a string',
      withFailedCheck({ instances: [{ problems: [{ message: 5 }] }] })
    ],
    [
      'a check problem message null',
      withFailedCheck({ instances: [{ problems: [{ message: null }] }] })
    ],
    ['a check name not a string', withFailedCheck({ address: { to_display: 5 } })]
  ])('%s: rendered, or rejected with a PlanParseError', (_name, plan) => {
    const outcome = readAndRender(plan)
    if (outcome instanceof PlanParseError) {
      expect(outcome.message).toMatch(/^The JSON plan has an unexpected shape: .+ not/)
    } else {
      expect(outcome.comment).toMatch(/Plan: \d+ to add/)
      expect(outcome.summary).toMatch(/Plan: \d+ to add/)
    }
  })

  it('says which part is wrong, in a message of bounded length however long the name', () => {
    const name = 'o'.repeat(100_000)
    const outcome = readAndRender({ ...base, output_changes: { [name]: { before: 1 } } })
    expect(outcome).toBeInstanceOf(PlanParseError)
    expect((outcome as PlanParseError).message).toMatch(
      /output_changes\["o+…o+"\] has no "actions"/
    )
    expect((outcome as PlanParseError).message.length).toBeLessThan(300)
  })

  it('keeps the nulls Terraform would have left out as absent', () => {
    const outcome = readAndRender(
      withFailedCheck({ instances: [{ problems: [{ message: null }, { message: 'too big' }] }] })
    )
    expect(outcome).not.toBeInstanceOf(PlanParseError)
    expect((outcome as { comment: string }).comment).toContain('too big')
  })
})

describe('values nested thousands of levels deep', () => {
  // Before the nesting limit, each of these resources took about a second to give up on.
  it.each([150, 1_000, 3_000, 4_500, 100_000])(
    '%i levels in 20 resources render quickly',
    depth => {
      // Spliced into the text: JSON.stringify itself runs out of stack at a few thousand levels.
      const plan = JSON.stringify({
        ...base,
        resource_changes: Array.from({ length: 20 }, (_, i) => ({
          ...resource,
          address: `aws_instance.web${i}`,
          change: { ...resource.change, after: { a: 'DEEP' } }
        }))
      }).replaceAll('"DEEP"', `${'['.repeat(depth)}"deep"${']'.repeat(depth)}`)
      // This process's CPU time, not wall time: other test workers share the machine.
      const started = process.cpuUsage()
      const outcome = readAndRender(plan)
      const { user, system } = process.cpuUsage(started)
      expect(outcome).not.toBeInstanceOf(PlanParseError)
      expect((outcome as { comment: string }).comment).toContain('nested more than 100 levels deep')
      // Far below the 20 s the resources took without the limit, far above a healthy run.
      expect((user + system) / 1000).toBeLessThan(8_000)
    }
  )
})
