// Big plans: the action end to end beside the node and jq floors, on the same file, interleaved
// so that a slow moment of the machine hurts all three alike.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startTfcSimulator } from '../../test/sim/tfc.mjs'
import { actionFailure, prepareActionRun, runAction } from './action.mjs'
import { measureJqCounts, measureNodeParse } from './floors.mjs'
import { median } from './measure.mjs'
import { writeSyntheticPlan } from './plan-generator.mjs'

/** @typedef {import('./measure.mjs').Measurement} Measurement */
/** @typedef {import('./plan-generator.mjs').PlanCounts} PlanCounts */
/** @typedef {import('./plan-generator.mjs').GeneratedPlan & { path: string }} BenchPlan */

/**
 * The median figures of one way of handling the plan.
 * @typedef {object} Figures
 * @property {number} wallMs
 * @property {number} peakRssBytes NaN when not measured
 */

/**
 * @typedef {object} SizeResult
 * @property {number} resources
 * @property {number} bytes
 * @property {Figures | null} e2e the action end to end; null when no run succeeded
 * @property {Figures | null} node
 * @property {Figures | null} jq
 * @property {string[]} problems
 */

const GENERATOR_FILE = fileURLToPath(new URL('./plan-generator.mjs', import.meta.url))
/** Step outputs that must equal what the generator put in the plan. */
/** @type {(keyof PlanCounts)[]} */
const COUNTED_OUTPUTS = ['add', 'change', 'destroy', 'import', 'replace', 'move']

/**
 * The plan of `resources` instances in `dir`, generated only when the generator changed since
 * the cached copy was written.
 * @param {string} dir
 * @param {number} resources
 * @returns {BenchPlan}
 */
export function ensurePlan(dir, resources) {
  const version = createHash('sha256')
    .update(readFileSync(GENERATOR_FILE))
    .digest('hex')
    .slice(0, 12)
  const prefix = `plan-${resources}-`
  const planPath = path.join(dir, `${prefix}${version}.json`)
  const metaPath = `${planPath}.meta`
  if (existsSync(planPath) && existsSync(metaPath)) {
    return { path: planPath, ...JSON.parse(readFileSync(metaPath, 'utf8')) }
  }
  mkdirSync(dir, { recursive: true })
  for (const stale of readdirSync(dir).filter(name => name.startsWith(prefix))) {
    rmSync(path.join(dir, stale))
  }
  const generated = writeSyntheticPlan(planPath, { resources })
  writeFileSync(metaPath, JSON.stringify(generated))
  return { path: planPath, ...generated }
}

/**
 * Differences between the action's step outputs and the plan's true counts.
 * @param {Record<string, string>} outputs
 * @param {PlanCounts} counts
 * @returns {string[]}
 */
export function countMismatches(outputs, counts) {
  return COUNTED_OUTPUTS.filter(name => outputs[name] !== String(counts[name])).map(
    name => `${name}: action said ${JSON.stringify(outputs[name])}, plan has ${counts[name]}`
  )
}

/**
 * @param {Measurement[]} samples
 * @returns {Figures | null}
 */
function summarize(samples) {
  if (samples.length === 0) return null
  return {
    wallMs: median(samples.map(sample => sample.wallMs)),
    peakRssBytes: median(samples.map(sample => sample.peakRssBytes ?? Number.NaN))
  }
}

/**
 * Measures one plan `repeat` times. The action comments on a pull request of `github` (the
 * GitHub simulator), so rendering and publishing are part of the time.
 * @param {{ entry: string, plan: BenchPlan, repeat: number, withJq: boolean, githubUrl?: string,
 *   log: (line: string) => void, providerSchemas?: object }} options providerSchemas: serve
 *   json-output-redacted with these (by default it answers 404)
 * @returns {Promise<SizeResult>}
 */
export async function measurePlanSize({
  entry,
  plan,
  repeat,
  withJq,
  githubUrl,
  log,
  providerSchemas
}) {
  const token = `bench-${randomBytes(12).toString('hex')}`
  // The JSON plan is ready on the first request: HCP Terraform's 204-then-retry right after a
  // plan finishes is the server's lag, not the action's cost, and would only add a poll interval.
  const tfc = await startTfcSimulator({ tokens: { [token]: 'admin' }, jsonOutputNotReadyPolls: 0 })
  /** @type {{ e2e: Measurement[], node: Measurement[], jq: Measurement[] }} */
  const samples = { e2e: [], node: [], jq: [] }
  /** @type {string[]} */
  const problems = []
  try {
    const run = tfc.addRun({
      workspace: `bench-${plan.resources}`,
      planJson: plan.path,
      statuses: ['finished'],
      // Without schemas the redacted plan answers 404: the action reads the full plan alone. With
      // them it is a temporary URL, as for the full plan.
      ...(providerSchemas === undefined
        ? { redactedJson: null }
        : { providerSchemas, redactedVia: 'redirect' })
    })
    for (let round = 1; round <= repeat; round++) {
      samples.node.push(await measureNodeParse(plan.path))
      if (withJq) {
        const jq = await measureJqCounts(plan.path)
        /** @type {(keyof typeof jq.counts)[]} */
        const jqCounted = ['add', 'change', 'destroy']
        const wrong = jqCounted.filter(name => jq.counts[name] !== plan.counts[name])
        if (wrong.length > 0) {
          problems.push(`${plan.resources} resources: jq counted ${JSON.stringify(jq.counts)}`)
        }
        samples.jq.push(jq)
      }
      const prepared = prepareActionRun({ entry, tfcUrl: tfc.url, token, runId: run.id, githubUrl })
      try {
        const e2e = await runAction(prepared)
        const failure = actionFailure(e2e, `${plan.resources} resources`)
        if (failure) {
          problems.push(failure)
          break
        }
        const mismatches = countMismatches(prepared.outputs(), plan.counts)
        // A run that got the counts wrong may have skipped the work: its time says nothing.
        if (mismatches.length > 0) {
          problems.push(`${plan.resources} resources: wrong step outputs: ${mismatches.join('; ')}`)
        } else {
          samples.e2e.push(e2e)
        }
      } finally {
        prepared.cleanup()
      }
      log(`  ${plan.resources} resources, round ${round}/${repeat} done`)
    }
  } finally {
    await tfc.close()
  }
  return {
    resources: plan.resources,
    bytes: plan.bytes,
    e2e: summarize(samples.e2e),
    node: summarize(samples.node),
    jq: summarize(samples.jq),
    problems
  }
}
