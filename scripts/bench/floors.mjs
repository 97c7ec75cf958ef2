// What the action's time and memory are compared with, measured on the same file: node reading
// and JSON.parse-ing the plan and nothing else, and jq computing the same add/change/destroy.
import { measureCommand, median } from './measure.mjs'

/** @typedef {import('./measure.mjs').Measurement} Measurement */
/** @typedef {import('./plan-generator.mjs').PlanCounts} PlanCounts */

/** Terraform's `Plan:` counts (see the corpus README): no-op, read and data deletes don't count. */
export const JQ_COUNTS_FILTER = `reduce (.resource_changes // [])[] as $r ({add: 0, change: 0, destroy: 0};
  ($r.change.actions | join(",")) as $a
  | if $r.mode == "data" then .
    elif $a == "create" or $a == "create,forget" then .add += 1
    elif $a == "update" then .change += 1
    elif $a == "delete,create" or $a == "create,delete" then .add += 1 | .destroy += 1
    elif $a == "delete" then .destroy += 1
    else . end)`

const NODE_PARSE_SCRIPT = "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))"

/**
 * `node -e` reading the plan and parsing it: the least any node program can do with it.
 * @param {string} planPath
 * @returns {Promise<Measurement>}
 */
export async function measureNodeParse(planPath) {
  const result = await measureCommand(process.execPath, ['-e', NODE_PARSE_SCRIPT, planPath])
  if (result.code !== 0) throw new Error(`node JSON.parse floor failed: ${result.stderr}`)
  return result
}

/**
 * jq computing the counts; also returns them, so the bench can check it agrees.
 * @param {string} planPath
 * @returns {Promise<Measurement & { counts: Pick<PlanCounts, 'add' | 'change' | 'destroy'> }>}
 */
export async function measureJqCounts(planPath) {
  const result = await measureCommand('jq', ['-c', JQ_COUNTS_FILTER, planPath])
  if (result.code !== 0) throw new Error(`jq floor failed: ${result.stderr}`)
  return { ...result, counts: JSON.parse(result.stdout) }
}

/**
 * Peak RSS of a node process that does nothing: no node program can use less.
 * @param {number} [runs]
 * @returns {Promise<number>} NaN when no run's peak could be measured
 */
export async function measureBareNodeRss(runs = 3) {
  /** @type {number[]} */
  const peaks = []
  for (let i = 0; i < runs; i++) {
    const { peakRssBytes } = await measureCommand(process.execPath, ['-e', '0'])
    // A run too short for the /proc sampling to see has no peak; the others still tell.
    if (peakRssBytes !== undefined) peaks.push(peakRssBytes)
  }
  return median(peaks)
}
