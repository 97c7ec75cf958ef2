// `npm run demo [-- --plan plan.json]`: runs the bundled action (dist/index.js) against local
// HCP Terraform and GitHub simulators, exactly as the runner would, and prints what it published.
// Works offline: everything listens on loopback only.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  ACTION_ENTRY,
  HEAD_SHA,
  PR_NUMBER,
  REPOSITORY,
  pullRequestEvent,
  runAction
} from '../test/sim/runner.mjs'
import { EXAMPLE_PLAN, startScenario } from './scenarios.mjs'

const LONGEST_OUTPUT = 400

const USAGE = `Usage: npm run demo [-- --plan <file>] [--scenario <name>]

Runs dist/index.js on a simulated pull request (${REPOSITORY}#${PR_NUMBER}) against a simulated
HCP Terraform run that goes pending → planning → finished, then prints the PR comment, the step
outputs and the job summary.

  --plan <file>        a JSON plan of your own (terraform show -json plan.tfplan > plan.json)
  --scenario run       one run, named by its run ID (default)
  --scenario monorepo  three VCS-driven workspaces found by the PR's head commit (no run ID),
                       one of them errored, in one combined comment
  --scenario push      two pushes: the step runs for an earlier head, then for the new one,
                       whose comment shows what changed in the plan since the last push
  --scenario sentinel  one run, with its Sentinel mock bundle exported and unpacked
  --scenario policy    one run that goes on after its plan: a mandatory OPA policy fails (the
                       run errors), an advisory run task fails, and the cost estimate rises
  --scenario gated     one run whose destroys trip a destroy gate; the comment says who can waive it
  --scenario waived    the same, waived by an approving review of the head commit
  --scenario apply     after the merge (a push): waits for the merge commit's run to apply, then
                       writes the apply comment on the merged pull request and a commit status
  --scenario apply-errored
                       the same, but the apply fails at its last resource (the step fails)
  --log                also print the step's log
  --help               this text`

const { values: args } = parseArgs({
  options: {
    plan: { type: 'string' },
    scenario: { type: 'string', default: 'run' },
    log: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false }
  }
})

if (args.help) {
  console.log(USAGE)
  process.exit(0)
}
if (!existsSync(ACTION_ENTRY)) {
  console.error(
    `No bundle at ${path.relative(process.cwd(), ACTION_ENTRY)}: run \`npm run package\` first.`
  )
  process.exit(1)
}
// npm runs scripts from the project root; INIT_CWD is where the user typed the command.
const userDir = process.env.INIT_CWD ?? process.cwd()
const planFile = args.plan ? path.resolve(userDir, args.plan) : EXAMPLE_PLAN
const planText = readPlan(planFile)

/** @param {string} dir @returns {string[]} */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => {
      const file = path.join(entry.parentPath ?? entry.path, entry.name)
      return `${path.relative(dir, file)} (${statSync(file).size} bytes)`
    })
    .sort()
}

const simulation = await startScenario({ scenario: args.scenario, planText }).catch(error => {
  console.error(`${error.message}\n\n${USAGE}`)
  process.exit(2)
})
const { tfc, github } = simulation
let exitCode = 1
try {
  console.log(`JSON plan: ${path.relative(userDir, planFile)}`)
  console.log(`HCP Terraform simulator: ${tfc.url}; GitHub simulator: ${github.url}\n`)

  const timing = { 'poll-interval': '1s', 'wait-timeout': '2m' }
  const earlier = simulation.earlierPush
  if (earlier) {
    github.setHeadSha(PR_NUMBER, earlier.headSha)
    const first = await runAction({
      inputs: { ...timing, ...earlier.inputs },
      githubApiUrl: github.url,
      event: pullRequestEvent({ headSha: earlier.headSha })
    })
    console.log(
      `The step ran for the earlier push ${earlier.headSha.slice(0, 7)}: exit ${first.code}`
    )
    github.setHeadSha(PR_NUMBER, HEAD_SHA)
  }
  const step = await runAction({
    inputs: { ...timing, ...simulation.inputs },
    githubApiUrl: github.url,
    eventName: simulation.eventName
  })
  exitCode = step.code ?? 1

  if (args.log || exitCode !== 0) section('Step log', `${step.stdout}${step.stderr}`)
  const comments = github.comments.filter(comment => comment.issue_number === PR_NUMBER)
  section(
    `Pull request comment (${comments.length} on ${REPOSITORY}#${PR_NUMBER})`,
    comments.map(comment => comment.body).join('\n\n---\n\n') || '(none)'
  )
  if (github.statuses.length > 0) {
    section(
      'Commit statuses',
      github.statuses
        .map(
          status =>
            `${status.sha.slice(0, 7)} ${status.context}: ${status.state} (${status.description})`
        )
        .join('\n')
    )
  }
  section('Outputs', formatOutputs(step.outputs))
  section('Job summary', step.summary || '(empty)')
  const mocks = step.outputs['sentinel-mocks-path']
  if (mocks) section('Sentinel mock files', listFiles(mocks).join('\n'))
  const annotations = [
    ...step.annotations.errors.map(message => `error: ${message}`),
    ...step.annotations.warnings.map(message => `warning: ${message}`)
  ]
  if (annotations.length > 0) section('Annotations', annotations.join('\n'))
  console.log(`\nExit code ${exitCode}. Files the step wrote are in ${step.workDir}`)
} finally {
  await simulation.close()
}
process.exit(exitCode)

/** @param {string} file */
function readPlan(file) {
  try {
    const text = readFileSync(file, 'utf8')
    JSON.parse(text)
    return text
  } catch (error) {
    console.error(`Cannot use ${file} as a JSON plan: ${/** @type {Error} */ (error).message}`)
    console.error('Make one with: terraform show -json plan.tfplan > plan.json')
    process.exit(2)
  }
}

/** @param {string} title @param {string} body */
function section(title, body) {
  console.log(`\n${title}\n${'='.repeat(title.length)}\n${body.trimEnd()}`)
}

/** @param {Record<string, string>} outputs */
function formatOutputs(outputs) {
  const width = Math.max(0, ...Object.keys(outputs).map(name => name.length))
  return Object.entries(outputs)
    .map(([name, value]) => {
      const shown =
        value.length > LONGEST_OUTPUT
          ? `${value.slice(0, LONGEST_OUTPUT)}… (${value.length} characters)`
          : value
      return `${name.padEnd(width)}  ${shown}`
    })
    .join('\n')
}
