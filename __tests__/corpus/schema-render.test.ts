// The comment against Terraform's own human output, line for line. Each equivalence case that has
// its provider schemas is served the way HCP Terraform serves it — the simulator's redacted plan
// with `provider_schemas` — and read by the action's own reader; every resource's diff in the
// comment must then read like the same resource in plan.txt (markers and text; indentation and
// blank lines aside), and so must the outputs block.
import { afterAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readJsonPlanFile } from '../../src/plan/parse.js'
import { buildPlanModel } from '../../src/plan/model.js'
import { commentMarker, renderComment } from '../../src/render/report.js'
import { redactPlan } from '../../test/sim/tfc-plan.mjs'
import { workspaceResult } from '../fixtures/render-fixtures.js'
import { splitFences } from '../render/checks.js'
import { HEADLINE, renderedDiffs } from './comment-diffs.js'
import { CORPUS, equivalenceCases } from './plan-corpus.js'

/** The share of resources (over all cases) that must read exactly like Terraform's. */
const BAR = 0.95

const scratch = mkdtempSync(path.join(os.tmpdir(), 'schema-render-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** A line as compared: its marker and text, without indentation. */
function normalize(line: string): string {
  const trimmed = line.trim()
  const marked = /^(-\/\+|\+\/-|\+\/\.|<=|[+\-~.])\s+(.*)$/.exec(trimmed)
  return marked ? `${marked[1]} ${marked[2]}` : trimmed
}

function comparable(lines: readonly string[]): string[] {
  return lines.map(normalize).filter(line => line !== '')
}

interface TerraformResource {
  headline: string
  lines: string[]
}

/** plan.txt's resources (from `resource "t" "n" {` to its `}`) and its outputs block. */
function readPlanText(text: string): { resources: TerraformResource[]; outputs?: string[] } {
  const resources: TerraformResource[] = []
  let current: TerraformResource | undefined
  let open = false
  let outputs: string[] | undefined
  let inOutputs = false
  for (const line of text.split('\n')) {
    if (line === 'Changes to Outputs:') {
      inOutputs = true
      outputs = []
      continue
    }
    if (inOutputs) {
      if (line.trim() === '' && outputs !== undefined && outputs.length > 0) inOutputs = false
      else outputs?.push(line)
      continue
    }
    const headline = HEADLINE.exec(line)
    if (headline) {
      current = { headline: `${headline[1]} ${headline[2]}`, lines: [] }
      resources.push(current)
      open = false
      continue
    }
    if (!current) continue
    if (!open && /^\s*\S*\s*(resource|data) "/.test(line)) open = true
    if (!open) continue
    current.lines.push(line)
    if (line === '    }') current = undefined
  }
  return { resources, ...(outputs !== undefined && { outputs }) }
}

/** The diff under "Changes to Outputs" in the comment. */
function outputsDiff(comment: string): string | undefined {
  const after = comment.split(/Changes to Outputs \(\d+\)/)[1]
  if (after === undefined) return undefined
  return /(`{3,})diff\n([\s\S]*?)\n\1\n/.exec(after)?.[2]
}

/** The first line where two diffs part, or undefined when they read the same. */
function firstDifference(expected: string[], actual: string[]): string | undefined {
  const length = Math.max(expected.length, actual.length)
  for (let i = 0; i < length; i++) {
    if (expected[i] !== actual[i])
      return `line ${i + 1}: terraform ${JSON.stringify(expected[i] ?? '(end)')}, comment ${JSON.stringify(actual[i] ?? '(end)')}`
  }
  return undefined
}

async function commentFor(name: string, planJsonPath: string, schemasPath: string) {
  const plan = JSON.parse(readFileSync(planJsonPath, 'utf8'))
  const schemas = JSON.parse(readFileSync(schemasPath, 'utf8')).provider_schemas ?? {}
  // What json-output-redacted answers; the action reads it with its own file reader.
  const file = path.join(scratch, `${name}.json`)
  writeFileSync(file, JSON.stringify(redactPlan(plan, schemas)))
  const model = buildPlanModel(await readJsonPlanFile(file), 'redacted-json')
  const options = { marker: commentMarker('corpus', ''), details: true, maxLength: 65536 }
  return renderComment([workspaceResult({ model })], options)
}

const cases = equivalenceCases()
  .map(c => ({ ...c, schemasPath: path.join(path.dirname(c.jsonPath), 'schemas.json') }))
  .filter(c => existsSync(c.schemasPath))

describe('the comment read against plan.txt, with the provider schemas', () => {
  it(`reads like Terraform for at least ${BAR * 100} % of the resources, and in the outputs`, async () => {
    const rows: string[] = ['| case | identical / total | first differing line |', '|---|---|---|']
    const differences: string[] = []
    const outputDifferences: string[] = []
    let total = 0
    let identical = 0
    for (const { name, jsonPath, schemasPath, text } of cases) {
      const comment = await commentFor(name, jsonPath, schemasPath)
      const diffs = renderedDiffs(comment)
      const { resources, outputs } = readPlanText(text)
      let caseIdentical = 0
      let firstMiss = ''
      for (const resource of resources) {
        total++
        const diff = [...diffs].find(([summary]) => summary.startsWith(resource.headline))?.[1]
        const difference =
          diff === undefined
            ? 'not in the comment'
            : firstDifference(comparable(resource.lines), comparable(diff.split('\n')))
        if (difference === undefined) {
          identical++
          caseIdentical++
          continue
        }
        differences.push(`${name}: ${resource.headline}: ${difference}`)
        firstMiss ||= difference
      }
      if (outputs !== undefined) {
        const shown = outputsDiff(comment)
        const difference =
          shown === undefined
            ? 'no outputs diff in the comment'
            : firstDifference(comparable(outputs), comparable(shown.split('\n')))
        if (difference !== undefined) outputDifferences.push(`${name}: outputs: ${difference}`)
      }
      const cell = firstMiss.replaceAll('|', '\\|')
      rows.push(`| ${name} | ${caseIdentical} / ${resources.length} | ${cell} |`)
    }
    rows.push(`| **total** | **${identical} / ${total}** | |`)
    // eslint-disable-next-line no-console -- the table is this test's report
    console.log(
      [
        `schema render corpus (${path.relative(process.cwd(), CORPUS) || CORPUS}):`,
        ...rows,
        ...(differences.length + outputDifferences.length > 0
          ? ['differences:', ...differences, ...outputDifferences]
          : [])
      ].join('\n')
    )
    expect(cases.length).toBeGreaterThan(0)
    expect(total).toBeGreaterThan(0)
    expect(identical / total).toBeGreaterThanOrEqual(BAR)
    expect(outputDifferences).toEqual([])
  })
})

// Kept apart so a stray fence in a diff shows as a broken comment, not as a silent mismatch.
describe('the comments rendered with schemas', () => {
  it('close every code fence', async () => {
    for (const { name, jsonPath, schemasPath } of cases) {
      const comment = await commentFor(name, jsonPath, schemasPath)
      expect(splitFences(comment).unclosed).toBe(false)
    }
  })
})
