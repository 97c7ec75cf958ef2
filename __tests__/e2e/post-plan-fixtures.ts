// What the post-plan end-to-end suites share: the run's steps after its plan, results HCP Terraform
// reports, and how a test reads the comment.
import { expect } from '@jest/globals'
import type { PostPlanSpec, RunSpec } from '../../test/sim/tfc.mjs'
import type { PolicyOutcomeSpec, TaskStageSpec } from '../../test/sim/tfc-post-plan.mjs'
import { fixture, plainText } from './world.js'
import type { World } from './world.js'

export const CHANGES = fixture('plan-changes.json')
/** The statuses a speculative run goes through after planning, one per poll. */
const POST_PLAN_STEPS = [
  'running',
  { plan: 'finished', run: 'post_plan_running' },
  { plan: 'finished', run: 'cost_estimating' },
  { plan: 'finished', run: 'policy_checking' }
]
export const COST = {
  status: 'finished',
  prior: '25.488',
  proposed: '40.1',
  delta: '14.612',
  matched: 3,
  unmatched: 1
}
export const PASSING_OPA = {
  kind: 'opa' as const,
  status: 'passed',
  policySets: [
    {
      name: 'aws-baseline',
      outcomes: [
        {
          policy_name: 'tags-required',
          status: 'passed' as const,
          enforcement_level: 'mandatory' as const
        },
        {
          policy_name: 'no-public-buckets',
          status: 'passed' as const,
          enforcement_level: 'advisory' as const
        }
      ]
    }
  ]
}
/** A failed post-plan stage whose one OPA policy set has these outcomes. */
export function failedOpaStage(setName: string, outcomes: PolicyOutcomeSpec[]): TaskStageSpec {
  return {
    stage: 'post_plan',
    status: 'failed',
    policyEvaluations: [
      { kind: 'opa', status: 'failed', policySets: [{ name: setName, outcomes }] }
    ]
  }
}
export const SOFT_FAILED_SENTINEL = `Sentinel Result: false

This result means that Sentinel policies returned false and the protected
behavior is not allowed by Sentinel policies.

2 policies evaluated.

## Policy 1: restrict-instance-type.sentinel (soft-mandatory)

Result: false

FALSE - restrict-instance-type.sentinel:12:1 - Rule "main"
  instance type m5.24xlarge is not allowed

## Policy 2: require-owner-tag.sentinel (advisory)

Result: true

TRUE - require-owner-tag.sentinel:3:1 - Rule "main"
`

export function addRun(
  world: World,
  finalRun: string,
  postPlan: PostPlanSpec,
  extra: Partial<RunSpec> = {}
) {
  return world.tfc.addRun({
    workspace: 'network',
    organization: 'acme',
    planJson: CHANGES,
    statuses: [...POST_PLAN_STEPS, { plan: 'finished', run: finalRun }],
    postPlan,
    ...extra
  })
}

/** Character references decoded, so figures can be looked for as a reader sees them. */
export function decoded(markdown: string): string {
  return plainText(markdown).replace(/&#(\d+);/g, (_, code: string) =>
    String.fromCharCode(Number(code))
  )
}

export function commentOf(world: World): string {
  const comments = world.prComments()
  expect(comments).toHaveLength(1)
  return comments[0].body
}
