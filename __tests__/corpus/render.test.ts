// The renderers against real Terraform plans: every resource Terraform's own human output lists
// (plan.txt) must appear in the comment with the same action, every attribute line Terraform
// shows as changed must appear in that resource's diff, and no sensitive value may appear at all.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseJsonPlan } from '../../src/plan/parse.js'
import { buildPlanModel } from '../../src/plan/model.js'
import type { JsonPlan, JsonValue } from '../../src/plan/types.js'
import { commentMarker, renderComment, renderSummary } from '../../src/render/report.js'
import { workspaceResult } from '../fixtures/render-fixtures.js'
import { splitFences, visibleText } from '../render/checks.js'
import { CORPUS, equivalenceCases, jsonPlanFiles } from './plan-corpus.js'
import { HEADLINE, renderedDiffs } from './comment-diffs.js'

/**
 * Misses that are not the renderers' to fix. The plan model drops drift entries without an action;
 * in a refresh-only plan Terraform lists a moved object among the drift (the JSON plan does not
 * say which mode it was made in).
 */
const KNOWN_MISSES = [
  'moved_with_refresh_only: resource "tfcoremock_simple_resource.first has moved to tfcoremock_simple_resource.second"'
]
const CHANGED_ATTRIBUTE = /^\s*(?:\+|-|~|-\/\+|\+\/-)\s+("[^"]*"|[^\s="{]+)\s*(?:=|\{)/

interface ListedResource {
  headline: string
  attributes: string[]
}

/** Terraform's human plan: each resource's headline and the names of its changed attributes. */
function parsePlanText(text: string): ListedResource[] {
  const listed: ListedResource[] = []
  let current: ListedResource | undefined
  for (const line of text.split('\n')) {
    const headline = HEADLINE.exec(line)
    if (headline) {
      current = { headline: `${headline[1]} ${headline[2]}`, attributes: [] }
      listed.push(current)
      continue
    }
    if (!current) continue
    if (line === '    }') {
      current = undefined
      continue
    }
    // The resource's own line (`  + resource "t" "n" {`) is not an attribute.
    if (/^\S*\s*(?:\+|-|~|-\/\+|\+\/-|<=)?\s*(resource|data) "/.test(line)) continue
    const attribute = CHANGED_ATTRIBUTE.exec(line)
    if (attribute) current.attributes.push(attribute[1].replace(/^"|"$/g, ''))
  }
  return listed
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function render(
  plan: JsonPlan,
  source: 'json' | 'redacted-json'
): { comment: string; summary: string } {
  const result = workspaceResult({ model: buildPlanModel(plan, source) })
  const options = { marker: commentMarker('corpus', ''), details: true, maxLength: 65536 }
  return {
    comment: renderComment([result], options),
    summary: renderSummary([result], { ...options, maxLength: 1_000_000 })
  }
}

const cases = equivalenceCases()

describe('rendering the corpus', () => {
  it('lists every resource Terraform lists, with every changed attribute in its diff', () => {
    let resources = 0
    let resourcesMatched = 0
    let attributes = 0
    let attributesMatched = 0
    const misses: string[] = []
    for (const { name, jsonPath, text } of cases) {
      const plan = parseJsonPlan(readFileSync(jsonPath, 'utf8'))
      const { comment } = render(plan, 'json')
      const shown = visibleText(splitFences(comment).text.join('\n'))
      const diffs = renderedDiffs(comment)
      for (const listed of parsePlanText(text)) {
        resources++
        attributes += listed.attributes.length
        if (!shown.includes(listed.headline)) {
          misses.push(`${name}: resource "${listed.headline}"`)
          continue
        }
        resourcesMatched++
        const diff = [...diffs].find(([summary]) => summary.startsWith(listed.headline))?.[1] ?? ''
        for (const attribute of listed.attributes) {
          const line = new RegExp(`(^|\\s)"?${escapeRegExp(attribute)}"?\\s*=`, 'm')
          if (line.test(diff)) attributesMatched++
          else misses.push(`${name}: attribute ${attribute} of "${listed.headline}"`)
        }
      }
    }
    // eslint-disable-next-line no-console -- the figure line is this test's report
    console.log(
      `render corpus: resources ${resourcesMatched}/${resources} matched, attribute lines ${attributesMatched}/${attributes} matched` +
        (misses.length > 0 ? `\nmisses:\n${misses.join('\n')}` : '')
    )
    expect(resources).toBeGreaterThan(50)
    expect(misses.filter(miss => !KNOWN_MISSES.includes(miss))).toEqual([])
  })
})

function isPlan(file: string): boolean {
  try {
    parseJsonPlan(readFileSync(file, 'utf8'))
    return true
  } catch {
    return false
  }
}

/** Every JSON plan in the corpus (some cloud files are empty objects), with the source it stands for. */
function allPlans(): { file: string; source: 'json' | 'redacted-json' }[] {
  const files = [...cases.map(c => c.jsonPath), ...jsonPlanFiles()].filter(isPlan)
  return files.map(file => ({
    file,
    source: /__plan-redacted\.json$/.test(file) ? 'redacted-json' : 'json'
  }))
}

type Leaves = { sensitive: Set<string>; open: Set<string> }

/** Collects the clear-text leaves of a value, split by whether its mirror marks them sensitive. */
function collectLeaves(
  value: JsonValue | undefined,
  mirror: JsonValue | undefined,
  leaves: Leaves
): void {
  if (value === undefined || value === null) return
  if (typeof value === 'object') {
    const children = Array.isArray(value)
      ? value.map((v, i) => [i, v] as const)
      : Object.entries(value)
    for (const [key, child] of children) {
      const childMirror =
        mirror === true
          ? true
          : mirror && typeof mirror === 'object'
            ? (mirror as Record<string, JsonValue>)[key]
            : undefined
      collectLeaves(child, childMirror, leaves)
    }
    return
  }
  const text = String(value)
  // Short values ("1", "true") appear in any document; only distinctive ones prove a leak.
  if (text.length >= 4) (mirror === true ? leaves.sensitive : leaves.open).add(text)
}

function leavesOf(plan: JsonPlan): Leaves {
  const leaves: Leaves = { sensitive: new Set(), open: new Set() }
  const changes = [
    ...(plan.resource_changes ?? []),
    ...(plan.resource_drift ?? []),
    ...(plan.deferred_changes ?? []).map(d => d.resource_change)
  ].map(r => r.change)
  for (const change of [...changes, ...Object.values(plan.output_changes ?? {})]) {
    collectLeaves(change.before, change.before_sensitive, leaves)
    collectLeaves(change.after, change.after_sensitive, leaves)
  }
  return leaves
}

describe('sensitive values in the corpus', () => {
  const plans = allPlans()

  it('has plans with sensitive values to check', () => {
    const withSecrets = plans.filter(
      ({ file }) => leavesOf(parseJsonPlan(readFileSync(file, 'utf8'))).sensitive.size > 0
    )
    expect(withSecrets.map(({ file }) => path.basename(file))).toContain('sensitive-values.json')
  })

  it.each(plans.map(p => [path.relative(CORPUS, p.file), p] as const))(
    '%s shows no sensitive value',
    (_, { file, source }) => {
      const plan = parseJsonPlan(readFileSync(file, 'utf8'))
      const { sensitive, open } = leavesOf(plan)
      const { comment, summary } = render(plan, source)
      for (const secret of sensitive) {
        // A value also shown without the mark elsewhere in the plan proves nothing either way.
        if (open.has(secret)) continue
        expect(comment).not.toContain(secret)
        expect(summary).not.toContain(secret)
      }
    }
  )
})
