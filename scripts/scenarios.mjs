// Simulated pull requests for `npm run demo`, `npm run simulators` and `npm run local-action`:
// starts the in-repo HCP Terraform and GitHub simulators on loopback, seeds one scenario and
// returns the inputs that point the action at it.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { startGitHubSimulator } from '../test/sim/github.mjs'
import { HEAD_SHA, PR_NUMBER, PROJECT_ROOT, REPOSITORY } from '../test/sim/runner.mjs'
import { startTfcSimulator } from '../test/sim/tfc.mjs'

const FIXTURES = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'e2e')
export const EXAMPLE_PLAN = path.join(FIXTURES, 'plan-changes.json')
const NO_CHANGES_PLAN = readFileSync(path.join(FIXTURES, 'plan-no-changes.json'), 'utf8')
const ERRORED_LOG = readFileSync(path.join(FIXTURES, 'plan-errored.log'), 'utf8')

/**
 * Each scenario seeds the simulators and returns the step's inputs.
 * @type {Record<string, (tfc: import('../test/sim/tfc.mjs').TfcSimulator, plan: string, github: import('../test/sim/github.mjs').GitHubSimulator) => Record<string, string>>}
 */
const SCENARIOS = {
  run(tfc, plan) {
    const run = tfc.addRun(demoRun('networking-staging', plan))
    return { 'run-id': run.id }
  },
  monorepo(tfc, plan) {
    tfc.addRun(demoRun('app-frontend', plan))
    tfc.addRun(demoRun('app-backend', NO_CHANGES_PLAN))
    tfc.addRun({
      ...demoRun('app-database', plan),
      statuses: ['pending', 'running', 'errored'],
      logText: ERRORED_LOG
    })
    return {
      organization: 'acme',
      workspace: 'app-*',
      'comment-mode': 'combined',
      'fail-on': 'errored'
    }
  },
  push(tfc, plan) {
    const run = tfc.addRun(demoRun('networking-staging', plan))
    return { 'run-id': run.id }
  },
  sentinel(tfc, plan) {
    const run = tfc.addRun(demoRun('networking-staging', plan))
    return { 'run-id': run.id, 'sentinel-mocks': 'true' }
  },
  apply(tfc, plan) {
    const run = tfc.addRun(applyRun('networking-prod', plan, 'applied'))
    return { 'run-id': run.id, 'wait-for': 'apply', 'commit-status': 'true' }
  },
  'apply-errored'(tfc, plan) {
    const run = tfc.addRun(applyRun('networking-prod', plan, 'errored'))
    return { 'run-id': run.id, 'wait-for': 'apply', 'commit-status': 'true' }
  },
  policy(tfc, plan) {
    const run = tfc.addRun({
      ...demoRun('networking-staging', plan),
      statuses: [
        'pending',
        'running',
        { plan: 'finished', run: 'post_plan_running' },
        { plan: 'finished', run: 'cost_estimating' },
        { plan: 'finished', run: 'errored' }
      ],
      postPlan: POLICY_DEMO
    })
    return { 'run-id': run.id, 'max-monthly-cost-increase': '100' }
  },
  gated(tfc, plan) {
    const run = tfc.addRun(demoRun('networking-staging', plan))
    return { 'run-id': run.id, ...DESTROY_GATE }
  },
  waived(tfc, plan, github) {
    const run = tfc.addRun(demoRun('networking-staging', plan))
    github.verdicts.addReview(PR_NUMBER, { user: 'alice', state: 'APPROVED' })
    return { 'run-id': run.id, ...DESTROY_GATE }
  }
}

/** A destroy gate that alice or a member of the platform team may waive. */
const DESTROY_GATE = {
  'fail-on': 'errored,destroy',
  'override-approvers': 'alice, @acme/platform',
  'override-label': 'terraform-allow-destroy'
}

export const SCENARIO_NAMES = Object.keys(SCENARIOS)
/** Scenarios that run after the merge, on the push of the merge commit. */
const PUSH_SCENARIOS = new Set(['apply', 'apply-errored'])

/** The commit of the push before the pull request's head, in scenarios that show one. */
export const EARLIER_SHA = '0123abcd4567ef890123abcd4567ef890123abcd'

/**
 * Scenarios with a push before the head: its run and the step's inputs for it. Its plan is the
 * head's, a few changes earlier, so the head's comment shows what changed since.
 * @type {Record<string, (tfc: import('../test/sim/tfc.mjs').TfcSimulator, plan: string) => Record<string, string>>}
 */
const EARLIER_PUSHES = {
  push(tfc, plan) {
    const run = tfc.addRun({
      ...demoRun('networking-staging', JSON.stringify(earlierPlan(JSON.parse(plan)))),
      commitSha: EARLIER_SHA
    })
    return { 'run-id': run.id }
  }
}

/**
 * The plan one push earlier: without the head's first create, with the first destroy planned as an
 * update, the first update setting one attribute to another value, and a bucket since removed.
 * @param {{ resource_changes?: Array<{ address: string, type?: string, name?: string, change: { actions: string[], before?: any, after?: any } }> }} plan
 */
function earlierPlan(plan) {
  const changes = [...(plan.resource_changes ?? [])]
  const at = (/** @type {string} */ action) =>
    changes.findIndex(change => change.change.actions.join() === action)
  const create = at('create')
  if (create >= 0) changes.splice(create, 1)
  const destroy = at('delete')
  if (destroy >= 0) {
    const { change } = changes[destroy]
    changes[destroy] = {
      ...changes[destroy],
      change: { ...change, actions: ['update'], after: change.before }
    }
  }
  const update = at('update')
  const { before, after } = update >= 0 ? changes[update].change : {}
  const changed = Object.keys(after ?? {}).find(key => before?.[key] !== after[key])
  if (changed !== undefined) {
    const change = { ...changes[update].change, after: { ...after, [changed]: 'earlier value' } }
    changes[update] = { ...changes[update], change }
  }
  changes.push({
    address: 'aws_s3_bucket.scratch',
    type: 'aws_s3_bucket',
    name: 'scratch',
    change: { actions: ['create'], before: null, after: { bucket: 'acme-scratch' } }
  })
  return { ...plan, resource_changes: changes }
}

/**
 * Post-plan results of the policy scenario, as HCP Terraform would report them.
 * @type {import('../test/sim/tfc.mjs').PostPlanSpec}
 */
const POLICY_DEMO = {
  taskStages: [
    {
      stage: 'post_plan',
      status: 'failed',
      taskResults: [
        {
          name: 'tfsec',
          status: 'passed',
          enforcement: 'mandatory',
          message: '0 high, 0 medium findings',
          url: 'https://scanner.example.com/results/1842'
        },
        {
          name: 'infracost-budget',
          status: 'failed',
          enforcement: 'advisory',
          message: 'Monthly cost rises 38% (budget: 10%)',
          url: 'https://cost.example.com/runs/77'
        }
      ],
      policyEvaluations: [
        {
          kind: 'opa',
          status: 'failed',
          policySets: [
            {
              name: 'aws-guardrails',
              outcomes: [
                {
                  policy_name: 'deny-wide-ingress',
                  status: 'failed',
                  enforcement_level: 'mandatory',
                  description: 'Security groups must not widen ingress beyond 10.0.0.0/16',
                  output: [
                    {
                      print:
                        'aws_security_group.web: ingress_cidr 10.0.0.0/8 is wider than 10.0.0.0/16'
                    }
                  ]
                },
                {
                  policy_name: 'require-team-tag',
                  status: 'passed',
                  enforcement_level: 'mandatory'
                },
                {
                  policy_name: 'prefer-gp3-volumes',
                  status: 'passed',
                  enforcement_level: 'advisory'
                }
              ]
            }
          ]
        }
      ]
    }
  ],
  costEstimate: {
    status: 'finished',
    prior: '182.4',
    proposed: '251.712',
    delta: '69.312',
    matched: 5,
    unmatched: 2
  }
}

/** @param {string} workspace @param {string} planJson */
function demoRun(workspace, planJson) {
  return {
    workspace,
    organization: 'acme',
    planJson,
    statuses: ['pending', 'running', 'finished'],
    commitSha: HEAD_SHA,
    pullRequestNumber: PR_NUMBER,
    repository: REPOSITORY
  }
}

/**
 * The merge commit's run of the apply scenarios: auto-applied after its plan, with the log
 * Terraform would write for the plan's resources; `errored` fails at the last one.
 * @param {string} workspace @param {string} planJson @param {'applied' | 'errored'} final
 */
function applyRun(workspace, planJson, final) {
  const plan = JSON.parse(planJson)
  /** @type {{ address: string, change: { actions: string[] } }[]} */
  const changes = (plan.resource_changes ?? []).filter(
    (/** @type {{ change: { actions: string[] } }} */ change) =>
      !['no-op', 'read'].includes(change.change.actions.join(','))
  )
  const line = (/** @type {object} */ entry) => JSON.stringify({ '@level': 'info', ...entry })
  const hook = (/** @type {string} */ addr, /** @type {string} */ action) => ({
    resource: { addr },
    action
  })
  const actionOf = (/** @type {string[]} */ actions) =>
    actions.length > 1 ? 'replace' : actions[0] === 'update' ? 'update' : actions[0]
  const failing = final === 'errored' ? changes.at(-1) : undefined
  const lines = changes.flatMap(({ address, change }) => {
    const action = actionOf(change.actions)
    const start = line({ type: 'apply_start', hook: hook(address, action) })
    if (address === failing?.address) {
      return [
        start,
        line({ type: 'apply_errored', hook: { ...hook(address, action), elapsed_seconds: 4 } }),
        line({
          '@level': 'error',
          type: 'diagnostic',
          diagnostic: {
            severity: 'error',
            summary: 'deleting RDS DB Instance (legacy-db): InvalidDBInstanceState',
            detail: 'Cannot delete a DB instance while deletion protection is enabled.',
            address,
            range: { filename: 'database.tf', start: { line: 14, column: 1 } }
          }
        })
      ]
    }
    return [
      start,
      line({ type: 'apply_complete', hook: { ...hook(address, action), elapsed_seconds: 2 } })
    ]
  })
  const counted = (/** @type {string} */ action) =>
    changes.filter(
      change =>
        change.address !== failing?.address &&
        (change.change.actions.includes(action) ||
          (action === 'create' && change.change.actions.length > 1))
    ).length
  const counts = { add: counted('create'), change: counted('update'), destroy: counted('delete') }
  if (!failing) {
    lines.push(
      line({
        type: 'change_summary',
        changes: { ...counts, remove: counts.destroy, operation: 'apply' }
      }),
      line({
        type: 'outputs',
        outputs: {
          bucket_arn: { sensitive: false, type: 'string', value: 'arn:aws:s3:::acme-logs' },
          web_ami: { sensitive: false, type: 'string', value: 'ami-0bbb2222' },
          db_password: { sensitive: true, type: 'string', value: 'demo-Sensitive-Password-1' }
        }
      })
    )
  }
  return {
    ...demoRun(workspace, planJson),
    operation: 'plan_and_apply',
    statuses: [
      'running',
      { plan: 'finished', run: 'apply_queued' },
      { plan: 'finished', run: 'applying' },
      { plan: 'finished', run: final }
    ],
    applyLogText: lines.join('\n'),
    applyCounts: counts
  }
}

/**
 * @typedef {object} SimulatedPullRequest
 * @property {import('../test/sim/tfc.mjs').TfcSimulator} tfc
 * @property {import('../test/sim/github.mjs').GitHubSimulator} github
 * @property {Record<string, string>} inputs the step's `with:` for this scenario
 * @property {string} eventName the event that runs the step: pull_request, or push after the merge
 * @property {import('../test/sim/tfc.mjs').SimRun[]} runs the runs seeded, in order
 * @property {{ inputs: Record<string, string>, headSha: string }} [earlierPush] a step to run first,
 *   for an earlier head of the pull request
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ scenario?: string, planText?: string }} [options]
 * @returns {Promise<SimulatedPullRequest>}
 */
export async function startScenario(options = {}) {
  const { scenario = 'run', planText = readFileSync(EXAMPLE_PLAN, 'utf8') } = options
  const seed = SCENARIOS[scenario]
  if (!seed) {
    throw new Error(`Unknown scenario "${scenario}": use ${SCENARIO_NAMES.join(', ')}`)
  }
  const tfc = await startTfcSimulator()
  const eventName = PUSH_SCENARIOS.has(scenario) ? 'push' : 'pull_request'
  // After the merge the pull request is merged, by the commit the push carries.
  const pullRequest =
    eventName === 'push'
      ? { number: PR_NUMBER, headSha: 'f'.repeat(40), mergeCommitSha: HEAD_SHA }
      : { number: PR_NUMBER, headSha: HEAD_SHA }
  const github = await startGitHubSimulator({ repository: REPOSITORY, pullRequests: [pullRequest] })
  /** @type {import('../test/sim/tfc.mjs').SimRun[]} */
  const runs = []
  const recording = Object.create(tfc)
  recording.addRun = (/** @type {import('../test/sim/tfc.mjs').RunSpec} */ spec) => {
    const run = tfc.addRun(spec)
    runs.push(run)
    return run
  }
  const target = { hostname: tfc.url, token: tfc.tokens.admin ?? '' }
  const earlier = EARLIER_PUSHES[scenario]?.(recording, planText)
  const inputs = { ...target, ...seed(recording, planText, github) }
  return {
    tfc,
    github,
    inputs,
    eventName,
    runs,
    ...(earlier && { earlierPush: { inputs: { ...target, ...earlier }, headSha: EARLIER_SHA } }),
    close: async () => {
      await Promise.all([tfc.close(), github.close()])
    }
  }
}
