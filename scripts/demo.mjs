// `npm run demo [-- --plan plan.json]`: runs the bundled action (dist/index.js) against local
// HCP Terraform and GitHub simulators, exactly as the runner would, and prints what it published.
// Works offline: everything listens on loopback only.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startGitHubSimulator } from '../test/sim/github.mjs'
import {
  ACTION_ENTRY,
  HEAD_SHA,
  PR_NUMBER,
  PROJECT_ROOT,
  REPOSITORY,
  runAction
} from '../test/sim/runner.mjs'
import { startTfcSimulator } from '../test/sim/tfc.mjs'

const EXAMPLE_PLAN = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'e2e', 'plan-changes.json')
const LONGEST_OUTPUT = 400

const USAGE = `Usage: npm run demo [-- --plan <file>]

Runs dist/index.js on a simulated pull request (${REPOSITORY}#${PR_NUMBER}) against a simulated
HCP Terraform run that goes pending → planning → finished, then prints the PR comment, the step
outputs and the job summary.

  --plan <file>   a JSON plan of your own (terraform show -json plan.tfplan > plan.json)
  --log           also print the step's log
  --help          this text`

const { values: args } = parseArgs({
  options: {
    plan: { type: 'string' },
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

const tfc = await startTfcSimulator()
const github = await startGitHubSimulator({
  repository: REPOSITORY,
  pullRequests: [{ number: PR_NUMBER, headSha: HEAD_SHA }]
})
let exitCode = 1
try {
  const run = tfc.addRun({
    workspace: 'networking-staging',
    organization: 'acme',
    planJson: planText,
    statuses: ['pending', 'running', 'finished'],
    commitSha: HEAD_SHA,
    pullRequestNumber: PR_NUMBER,
    repository: REPOSITORY
  })
  console.log(`JSON plan: ${path.relative(userDir, planFile)}`)
  console.log(
    `HCP Terraform simulator: ${tfc.url} (run ${run.id}); GitHub simulator: ${github.url}\n`
  )

  const step = await runAction({
    inputs: {
      hostname: tfc.url,
      token: tfc.tokens.admin ?? '',
      'run-id': run.id,
      'poll-interval': '1s',
      'wait-timeout': '2m'
    },
    githubApiUrl: github.url
  })
  exitCode = step.code ?? 1

  if (args.log || exitCode !== 0) section('Step log', `${step.stdout}${step.stderr}`)
  const comments = github.comments.filter(comment => comment.issue_number === PR_NUMBER)
  section(
    `Pull request comment (${comments.length} on ${REPOSITORY}#${PR_NUMBER})`,
    comments.map(comment => comment.body).join('\n\n---\n\n') || '(none)'
  )
  section('Outputs', formatOutputs(step.outputs))
  section('Job summary', step.summary || '(empty)')
  const annotations = [
    ...step.annotations.errors.map(message => `error: ${message}`),
    ...step.annotations.warnings.map(message => `warning: ${message}`)
  ]
  if (annotations.length > 0) section('Annotations', annotations.join('\n'))
  console.log(`\nExit code ${exitCode}. Files the step wrote are in ${step.workDir}`)
} finally {
  await Promise.all([tfc.close(), github.close()])
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
