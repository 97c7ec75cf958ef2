// The Terraform plan corpus, and what Terraform's own human output (plan.txt) says about a plan.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { HeadlineCounts, ResourceAction } from '../../src/plan/model.js'

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** The in-repo copy (test/data/terraform-corpus), or another copy named by TERRAFORM_CORPUS. */
export const CORPUS =
  process.env.TERRAFORM_CORPUS ?? path.join(PROJECT_ROOT, 'test', 'data', 'terraform-corpus')

export interface EquivalenceCase {
  name: string
  jsonPath: string
  text: string
}

export function equivalenceCases(): EquivalenceCase[] {
  const folder = path.join(CORPUS, 'equivalence')
  return fs
    .readdirSync(folder)
    .sort()
    .map(name => ({
      name,
      jsonPath: path.join(folder, name, 'plan.json'),
      text: fs.readFileSync(path.join(folder, name, 'plan.txt'), 'utf8')
    }))
}

/** Every JSON plan file of the show-json, terraform-json and cloud folders. */
export function jsonPlanFiles(): string[] {
  return ['show-json', 'terraform-json', 'cloud'].flatMap(folder =>
    fs
      .readdirSync(path.join(CORPUS, folder))
      .filter(name => name.endsWith('.json'))
      .sort()
      .map(name => path.join(CORPUS, folder, name))
  )
}

/** One `# <address> will be ...` heading of Terraform's output. */
export interface ListedChange {
  address: string
  deposed?: string
  previousAddress?: string
  action: ResourceAction
}

export interface TerraformText {
  /** The `Plan: ...` line, when Terraform printed one. */
  planLine?: string
  counts?: HeadlineCounts
  /** Terraform says it will do something: resource actions or output changes. */
  announcesChanges: boolean
  /** Headings under "Terraform will perform the following actions". */
  changes: ListedChange[]
  /** Headings under "Objects have changed outside of Terraform". */
  drift: ListedChange[]
}

// Terraform's headings (internal/command/jsonformat/plan.go, resourceChangeComment).
const HEADINGS: [RegExp, ResourceAction][] = [
  [/ will be created$/, 'create'],
  [/ will be updated in-place$/, 'update'],
  [/ will be destroyed$/, 'delete'],
  [/ must be replaced, but the existing object will not be destroyed$/, 'create-forget'],
  [/ (must be|is tainted, so must be) replaced$/, 'replace'],
  [/ will be replaced(, as requested| due to changes in replace_triggered_by)$/, 'replace'],
  [
    / will (no longer be managed by Terraform|be removed from Terraform state), but will not be destroyed$/,
    'forget'
  ],
  [/ will be read during apply$/, 'read'],
  [/ will be imported$/, 'no-op'],
  [/ has changed$/, 'update'],
  [/ has been deleted$/, 'delete']
]

export function readTerraformText(text: string): TerraformText {
  const planLine = /^Plan: .*$/m.exec(text)?.[0]
  const numbers = planLine
    ? /^Plan: (?:(\d+) to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy\.$/.exec(
        planLine
      )
    : null
  const changes: ListedChange[] = []
  const drift: ListedChange[] = []
  let section: ListedChange[] | undefined
  let last: ListedChange | undefined
  for (const line of text.split('\n')) {
    if (line.startsWith('Note: Objects have changed outside of Terraform')) section = drift
    else if (/^Terraform (will perform|planned) the following actions/.test(line)) section = changes
    const heading = /^\s*# (.+)$/.exec(line)?.[1]
    if (!section || heading === undefined) continue
    const movedFrom = /^\(moved from (.+)\)$/.exec(heading)
    if (movedFrom && last) {
      last.previousAddress = movedFrom[1]
      continue
    }
    last = parseHeading(heading)
    if (last) section.push(last)
  }
  return {
    ...(planLine !== undefined && { planLine }),
    ...(numbers && {
      counts: {
        import: Number(numbers[1] ?? 0),
        add: Number(numbers[2]),
        change: Number(numbers[3]),
        destroy: Number(numbers[4])
      }
    }),
    announcesChanges: planLine !== undefined || /^Changes to Outputs:$/m.test(text),
    changes,
    drift
  }
}

function parseHeading(heading: string): ListedChange | undefined {
  const moved = /^(.+) has moved to (.+)$/.exec(heading)
  if (moved) return { address: moved[2], previousAddress: moved[1], action: 'no-op' }
  for (const [pattern, action] of HEADINGS) {
    const match = pattern.exec(heading)
    if (!match) continue
    const subject = heading.slice(0, match.index)
    const deposed = /^(.+) \(deposed object (\w+)\)$/.exec(subject)
    return deposed
      ? { address: deposed[1], deposed: deposed[2], action }
      : { address: subject, action }
  }
  return undefined
}
