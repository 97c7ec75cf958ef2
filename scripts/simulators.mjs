// `npm run simulators [-- --scenario run|monorepo|sentinel] [--write-env <file>]`: starts the
// in-repo HCP Terraform and GitHub simulators with one scenario and keeps them running until
// stopped (Ctrl-C, SIGTERM). Prints, and with --write-env writes, SIM_* variables: the simulators'
// URLs, the inputs that point the action at them, and the counts the simulated API reports, so
// that a workflow can start them in the background and run the action with `uses: ./`.
import { renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { HEAD_SHA, PR_NUMBER, REPOSITORY } from '../test/sim/runner.mjs'
import { SCENARIO_NAMES, startScenario } from './scenarios.mjs'

const USAGE = `Usage: npm run simulators [-- --scenario ${SCENARIO_NAMES.join('|')}] [--write-env <file>]`

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'run' },
    'write-env': { type: 'string' },
    help: { type: 'boolean', default: false }
  }
})
if (args.help) {
  console.log(USAGE)
  process.exit(0)
}

const simulation = await startScenario({ scenario: args.scenario }).catch(error => {
  console.error(`${error.message}\n${USAGE}`)
  process.exit(2)
})

/** `comment-mode` → SIM_COMMENT_MODE */
const variableName = (/** @type {string} */ input) =>
  `SIM_${input.toUpperCase().replace(/-/g, '_')}`
const total = (/** @type {'add' | 'change' | 'destroy'} */ count) =>
  String(simulation.runs.reduce((sum, run) => sum + run.counts[count], 0))

const variables = {
  SIM_TFC_URL: simulation.tfc.url,
  SIM_GITHUB_API_URL: simulation.github.url,
  SIM_REPOSITORY: REPOSITORY,
  SIM_PR_NUMBER: String(PR_NUMBER),
  SIM_HEAD_SHA: HEAD_SHA,
  ...Object.fromEntries(
    Object.entries(simulation.inputs).map(([input, value]) => [variableName(input), value])
  ),
  SIM_EXPECTED_RUN_IDS: simulation.runs.map(run => run.id).join(','),
  SIM_EXPECTED_ADD: total('add'),
  SIM_EXPECTED_CHANGE: total('change'),
  SIM_EXPECTED_DESTROY: total('destroy'),
  SIM_EXPECTED_HAS_CHANGES: String(simulation.runs.some(run => run.hasChanges))
}
const lines = Object.entries(variables).map(([name, value]) => `${name}=${value}`)

if (args['write-env']) {
  // Written whole, then renamed: whoever waits for the file never reads half of it.
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), args['write-env'])
  writeFileSync(`${file}.partial`, `${lines.join('\n')}\n`)
  renameSync(`${file}.partial`, file)
}
console.log(
  `Simulators running (scenario ${args.scenario}); stop with Ctrl-C.\n${lines.join('\n')}`
)

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    void simulation.close().then(() => process.exit(0))
  })
}
