// `npm run local-action [-- --scenario run|monorepo|sentinel]`: runs the action's source
// (src/main.ts, not the bundle) through GitHub's @github/local-action against the in-repo
// simulators of HCP Terraform and GitHub, on a simulated pull request; local-action prints the
// step's outputs, and this script then prints the comment the action posted.
//
// local-action reads the step's environment from a dotenv file: this script writes one with the
// inputs (action.yml's defaults plus the scenario's) and the runner variables the action reads.
// To run against a real HCP Terraform instead, copy .env.example to .env, fill it in and run
// `npx local-action . src/main.ts .env`.
//
// The exit code is local-action's, which stays 0 when the action fails the step: a failed step
// shows as `::error::` lines and in the `failed-checks` output.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  GITHUB_TOKEN,
  MERGE_SHA,
  PR_NUMBER,
  PROJECT_ROOT,
  REPOSITORY,
  actionInputDefaults,
  pullRequestEvent
} from '../test/sim/runner.mjs'
import { SCENARIO_NAMES, startScenario } from './scenarios.mjs'

const LOCAL_ACTION = path.join(
  PROJECT_ROOT,
  'node_modules',
  '@github',
  'local-action',
  'bin',
  'local-action.js'
)

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'run' },
    help: { type: 'boolean', default: false }
  }
})
if (args.help) {
  console.log(`Usage: npm run local-action [-- --scenario ${SCENARIO_NAMES.join('|')}]`)
  process.exit(0)
}

const simulation = await startScenario({ scenario: args.scenario }).catch(error => {
  console.error(error.message)
  process.exit(2)
})
const workDir = mkdtempSync(path.join(tmpdir(), 'tfc-plan-summary-local-'))
let exitCode = 1
try {
  const eventPath = path.join(workDir, 'event.json')
  writeFileSync(eventPath, JSON.stringify(pullRequestEvent()))
  const inputs = {
    ...actionInputDefaults(
      readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8'),
      GITHUB_TOKEN
    ),
    'poll-interval': '1s',
    'wait-timeout': '2m',
    ...simulation.inputs
  }
  const environment = {
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
    ),
    GITHUB_API_URL: simulation.github.url,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: MERGE_SHA,
    RUNNER_TEMP: workDir
  }
  const envFile = path.join(workDir, '.env')
  writeFileSync(
    envFile,
    Object.entries(environment)
      .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
      .join('\n')
  )

  // The simulators answer on this process's event loop, so local-action runs asynchronously.
  const step = await new Promise(resolve => {
    const child = spawn(
      process.execPath,
      [LOCAL_ACTION, 'run', PROJECT_ROOT, 'src/main.ts', envFile],
      {
        cwd: PROJECT_ROOT,
        stdio: 'inherit'
      }
    )
    child.on('close', code => resolve(code))
  })
  exitCode = Number(step ?? 1)

  const comments = simulation.github.comments.filter(comment => comment.issue_number === PR_NUMBER)
  const title = `Pull request comment (${comments.length} on ${REPOSITORY}#${PR_NUMBER})`
  console.log(`\n${title}\n${'='.repeat(title.length)}`)
  console.log(comments.map(comment => comment.body).join('\n\n---\n\n') || '(none)')
} finally {
  await simulation.close()
  rmSync(workDir, { recursive: true, force: true })
}
process.exit(exitCode)
