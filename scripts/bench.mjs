// `npm run bench`: the bundled action on synthetic plans of 1k, 10k and 50k resources against
// the loopback simulators, beside node and jq floors; on plans whose redacted twin carries
// provider schemas as big as the AWS provider's; then how fast it notices a finished plan and
// how fast it starts. Prints a Markdown report and writes it to .bench/results.md.
// Exits 0 when targets are missed (it is a report), 1 when the action itself failed.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { startGitHubSimulator } from '../test/sim/github.mjs'
import { ACTION_ENTRY, PR_NUMBER, PROJECT_ROOT, REPOSITORY } from './bench/action.mjs'
import { measureBareNodeRss } from './bench/floors.mjs'
import { measureStartup, measureWaiting } from './bench/latency.mjs'
import { commandExists, peakRssMethod } from './bench/measure.mjs'
import { formatBytes, formatSeconds, markdownReport } from './bench/report.mjs'
import { syntheticProviderSchemas } from './bench/provider-schemas.mjs'
import { ensurePlan, measurePlanSize } from './bench/throughput.mjs'

/** @typedef {import('./bench/throughput.mjs').BenchPlan} BenchPlan */

const USAGE = `Usage: npm run bench -- [options]
  --action <bundle>      the action to measure (default dist/index.js)
  --sizes <n,n,...>      plan sizes in resources (default 1000,10000,50000; '' skips)
  --schema-sizes <n,...> plan sizes served with ~10 MB of provider schemas, the smallest also
                         without (default 100,3000,30000; '' skips)
  --repeat <n>           runs per size; the median is reported (default 3)
  --wait-runs <n>        concurrent actions waiting 65-80 s for their plan (default 16; 0 skips)
  --startup-runs <n>     actions timed from start to first request (default 5; 0 skips)
  --out <folder>         where plans and results.md go (default .bench)`

const { values: options } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    // Another build of the action can be measured without touching dist/.
    action: { type: 'string', default: ACTION_ENTRY },
    sizes: { type: 'string', default: '1000,10000,50000' },
    'schema-sizes': { type: 'string', default: '100,3000,30000' },
    repeat: { type: 'string', default: '3' },
    'wait-runs': { type: 'string', default: '16' },
    'startup-runs': { type: 'string', default: '5' },
    out: { type: 'string', default: path.join(PROJECT_ROOT, '.bench') }
  }
})
const entry = path.resolve(options.action)
const outDir = path.resolve(options.out)
/** @param {string} list */
const counts = list => list.split(',').filter(Boolean).map(Number)
const sizes = counts(options.sizes)
const schemaSizes = counts(options['schema-sizes'])
const repeat = Number(options.repeat)
const waitRuns = Number(options['wait-runs'])
const startupRuns = Number(options['startup-runs'])

/** @param {string} line */
const log = line => console.log(line)
const PROBE_PLAN_RESOURCES = 20

function usageError() {
  const plans = [...sizes, ...schemaSizes]
  const numbers = [...plans, repeat, waitRuns, startupRuns]
  if (numbers.every(Number.isInteger) && plans.every(n => n > 0) && repeat > 0) return undefined
  return 'sizes and --repeat take positive whole numbers, the run counts whole numbers'
}

async function main() {
  if (options.help) {
    log(USAGE)
    return 0
  }
  const benchStarted = performance.now()
  const badUsage = usageError()
  if (badUsage) {
    console.error(`${badUsage}\n\n${USAGE}`)
    return 2
  }
  if (!existsSync(entry)) {
    console.error(`${entry} is missing: build the bundle first (npm run package).`)
    return 1
  }
  const withJq = commandExists('jq')
  if (!withJq) log('NOTE: jq is not installed, so the jq floor is skipped (apt-get install jq).')
  const rssMethod = peakRssMethod()
  if (rssMethod !== 'gnu-time') {
    log('NOTE: /usr/bin/time (Debian package "time") is missing; peak RSS is sampled from /proc.')
  }

  const plans = generatePlans(sizes)
  const schemaPlans = generatePlans(schemaSizes)
  // Waiting and start-up time the polling and the process, not the plan: a small plan keeps the
  // simulator (in this process) from delaying the very requests being timed.
  const probePlan = ensurePlan(path.join(outDir, 'plans'), PROBE_PLAN_RESOURCES)
  const sizeResults = await measureSizes(plans, withJq)
  const schemaResults = await measureSchemaRows(schemaPlans)
  const waiting = await measureWaitingPhase(probePlan)
  const startup = await measureStartupPhase(probePlan)
  const problems = [
    ...new Set([
      ...sizeResults.flatMap(size => size.problems),
      ...schemaResults.problems,
      ...(waiting?.problems ?? []),
      ...(startup?.problems ?? [])
    ])
  ]
  const report = markdownReport({
    sizes: sizeResults,
    schemaRows: schemaResults.rows,
    waiting,
    startup,
    bundleBytes: statSync(entry).size,
    nodeBaselineRssBytes: await measureBareNodeRss(),
    repeat,
    machine: describeMachine(withJq, rssMethod),
    problems
  })
  mkdirSync(outDir, { recursive: true })
  const resultsPath = path.join(outDir, 'results.md')
  writeFileSync(resultsPath, report)
  log(`\n${report}`)
  const took = formatSeconds(performance.now() - benchStarted)
  log(`Written to ${path.relative(process.cwd(), resultsPath)}; the bench took ${took}.`)

  if (problems.length === 0) return 0
  console.error(`\nThe action did not run correctly:\n${problems.map(p => `- ${p}`).join('\n')}`)
  return 1
}

/** @param {number[]} resourceCounts */
function generatePlans(resourceCounts) {
  if (resourceCounts.length === 0) return []
  log(
    `Plans (kept in ${path.relative(process.cwd(), outDir)}/plans while the generator is unchanged):`
  )
  return resourceCounts.map(resources => {
    const plan = ensurePlan(path.join(outDir, 'plans'), resources)
    log(`  ${plan.resources} resources: ${formatBytes(plan.bytes)}`)
    return plan
  })
}

/**
 * @param {BenchPlan[]} plans
 * @param {boolean} withJq
 */
async function measureSizes(plans, withJq) {
  if (plans.length === 0) return []
  log('Big plans: action end to end, node floor, jq floor...')
  const github = await startGitHubSimulator({
    repository: REPOSITORY,
    pullRequests: [PR_NUMBER]
  })
  try {
    /** @type {import('./bench/throughput.mjs').SizeResult[]} */
    const measured = []
    for (const plan of plans) {
      const githubUrl = github.url
      measured.push(
        await measurePlanSize({
          entry,
          plan,
          repeat,
          withJq,
          githubUrl,
          log
        })
      )
    }
    return measured
  } finally {
    await github.close()
  }
}

/**
 * The plans with provider schemas served beside them (the smallest also without), as the rows
 * of the issue that set the targets: plan, full JSON plan, action, floor, ratio, peak RSS.
 * @param {BenchPlan[]} plans
 */
async function measureSchemaRows(plans) {
  /** @type {import('./bench/report.mjs').SchemaRow[]} */
  const rows = []
  /** @type {string[]} */
  const problems = []
  if (plans.length === 0) return { rows, problems }
  log('Provider schemas: plans whose redacted twin carries ~10 MB of schemas...')
  const providerSchemas = syntheticProviderSchemas()
  const github = await startGitHubSimulator({ repository: REPOSITORY, pullRequests: [PR_NUMBER] })
  try {
    const [smallest] = [...plans].sort((a, b) => a.resources - b.resources)
    const runs = [
      ...plans.map(plan => ({ plan, providerSchemas, label: `${resourcesLabel(plan)}, schemas` })),
      {
        plan: smallest,
        providerSchemas: undefined,
        label: `${resourcesLabel(smallest)}, no schemas`
      }
    ]
    for (const run of runs) {
      const measured = await measurePlanSize({
        entry,
        plan: run.plan,
        repeat,
        withJq: false,
        githubUrl: github.url,
        log,
        providerSchemas: run.providerSchemas
      })
      problems.push(...measured.problems)
      rows.push({ label: run.label, bytes: measured.bytes, e2e: measured.e2e, node: measured.node })
    }
  } finally {
    await github.close()
  }
  return { rows, problems }
}

/** @param {BenchPlan} plan */
const resourcesLabel = plan => `${plan.resources.toLocaleString('en-US')} resources`

/** @param {BenchPlan} plan */
async function measureWaitingPhase(plan) {
  if (waitRuns <= 0) return null
  log(`Waiting: ${waitRuns} actions at once on plans that finish after 65-80 s...`)
  return measureWaiting({ entry, planPath: plan.path, runs: waitRuns })
}

/** @param {BenchPlan} plan */
async function measureStartupPhase(plan) {
  if (startupRuns <= 0) return null
  log(`Start-up: ${startupRuns} actions one after another...`)
  return measureStartup({ entry, planPath: plan.path, runs: startupRuns })
}

/**
 * @param {boolean} withJq
 * @param {import('./bench/measure.mjs').PeakRssMethod} rssMethod
 */
function describeMachine(withJq, rssMethod) {
  const cpus = os.cpus()
  const jq = withJq ? spawnSync('jq', ['--version'], { encoding: 'utf8' }).stdout.trim() : 'no jq'
  const rss = rssMethod === 'gnu-time' ? 'peak RSS by GNU time' : 'peak RSS sampled from /proc'
  // Other work on the machine skews the figures; the load at the end tells how much there was.
  const load = `load average ${os.loadavg()[0].toFixed(1)}`
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'} (${load}), node ${process.version}, ${jq}, ${rss}`
}

process.exitCode = await main()
