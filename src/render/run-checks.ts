// The run's post-plan results in a comment or summary: its status in words, the cost line, and the
// Policies and Run tasks sections. Policy output and task messages are written by others: they go
// through the same escaping as everything else, and give way first when the comment is too long.
import type { WorkspaceResult } from '../result.js'
import type {
  CostEstimate,
  PolicyOutcome,
  PolicySet,
  RunChecks,
  TaskResult
} from '../run/checks.js'
import {
  isFailedStatus,
  notRun,
  policyStatus,
  runStatusWords,
  runTasksStatus
} from '../run/checks.js'
import {
  bullet,
  codeBlock,
  codeSpan,
  details,
  emphasis,
  escapeText,
  heading,
  link,
  strong,
  table
} from './markdown.js'
import type { Chunk } from './budget.js'
import { block, clip } from './layout.js'
import type { Detail } from './layout.js'

/** Failed policies shown with their output, and task rows, before "and N more". */
const LISTED: Readonly<Record<Detail, number>> = { full: 1000, compact: 5 }
const OUTPUT_CHARS: Readonly<Record<Detail, number>> = { full: 4000, compact: 0 }
const MESSAGE_CHARS = 300
/** Failed policies still named when the list of them had to give way. */
const LISTED_WHEN_SHORT = 20
const NAME_CHARS = 200

const KIND_NAMES: Readonly<Record<string, string>> = { opa: 'OPA', sentinel: 'Sentinel' }

/** The status line and cost line, shown under the workspace's counts. */
export function runStatusBlock(result: WorkspaceResult): string | undefined {
  const checks = result.checks
  if (!checks) return undefined
  const lines = [
    `${escapeText('Run status:')} ${strong(escapeText(runStatusWords(checks.runStatus)))}`
  ]
  if (checks.cost) lines.push(costLine(checks.cost))
  return lines.join('<br>\n')
}

/** `Cost estimate: 25.488 → 40.00 USD a month (+14.512) · 3 resources matched, 1 unmatched` */
export function costLine(cost: CostEstimate): string {
  const title = escapeText('💰 Cost estimate:')
  if (cost.status !== 'finished') {
    const why = cost.errorMessage ? `: ${clip(cost.errorMessage, MESSAGE_CHARS)}` : ''
    return `${title} ${escapeText(`${cost.status.replace(/_/g, ' ')}${why}`)}`
  }
  const delta = cost.deltaMonthly
  const signed = delta === undefined ? '?' : /^[-+]/.test(delta) ? delta : `+${delta}`
  const figures = `${cost.priorMonthly ?? '?'} → ${cost.proposedMonthly ?? '?'} USD a month`
  const counts =
    cost.matched !== undefined || cost.unmatched !== undefined
      ? ` · ${cost.matched ?? 0} resources matched, ${cost.unmatched ?? 0} unmatched`
      : ''
  return `${title} ${escapeText(figures)} (${strong(escapeText(signed))})${escapeText(counts)}`
}

export function runChecksSections(result: WorkspaceResult, detail: Detail, level: number): Chunk[] {
  const checks = result.checks
  if (!checks) return []
  return [
    ...policiesSection(checks, detail, level),
    ...runTasksSection(checks, detail, level),
    ...notesSection(checks.notes)
  ]
}

function policiesSection(checks: RunChecks, detail: Detail, level: number): Chunk[] {
  if (checks.policySets.length === 0) return []
  const title = block(
    heading(level, escapeText(`Policies: ${policyStatus(checks).replace('-', ' ')}`))
  )
  return [title, ...checks.policySets.flatMap(set => policySetChunks(set, detail))]
}

function policySetChunks(set: PolicySet, detail: Detail): Chunk[] {
  const kind = KIND_NAMES[set.kind] ?? set.kind
  const overridden = set.overridden ? ` · ${escapeText('overridden')}` : ''
  const error = set.error ? `<br>\n${escapeText(clip(set.error, MESSAGE_CHARS))}` : ''
  const failed = set.outcomes.filter(policy => isFailedStatus(policy.status))
  const others = set.outcomes.filter(policy => !isFailedStatus(policy.status))
  const header = block(
    `${strong(escapeText(clip(set.name, NAME_CHARS)))} ${escapeText(`(${kind}) · ${set.status.replace(/_/g, ' ')} · ${failed.length} of ${set.outcomes.length} failed`)}${overridden}${error}`
  )
  const listedFailed = failed.slice(0, LISTED[detail])
  const failedItems: Chunk[] = listedFailed.map(policy => failedPolicyItem(policy, detail))
  if (failed.length > listedFailed.length)
    failedItems.push(
      block(emphasis(escapeText(`and ${failed.length - listedFailed.length} more failed`)))
    )
  // Too long: the first failed policies stay named, without their output.
  const failedShort = failed.slice(0, LISTED_WHEN_SHORT)
  const failedReduced = [
    block(failedShort.map(policy => bullet(policyLine(policy))).join('\n')),
    ...(failed.length > failedShort.length
      ? [
          block(
            emphasis(
              escapeText(`and ${failed.length - failedShort.length} more failed; see the run`)
            )
          )
        ]
      : [])
  ]
  const otherLines = others.map(policy => bullet(policyLine(policy)))
  const othersCounted = block(
    emphasis(
      escapeText(
        `${others.length} ${others.length === 1 ? 'policy' : 'policies'} passed or not failed; the list was left out to fit.`
      )
    )
  )
  const chunks: Chunk[] = [header]
  if (failed.length > 0)
    chunks.push(
      detail === 'compact'
        ? block(listedFailed.map(policy => bullet(policyLine(policy))).join('\n'))
        : { stage: 'list', full: failedItems, reduced: failedReduced }
    )
  if (others.length > 0)
    chunks.push(
      detail === 'compact'
        ? othersCounted
        : { stage: 'list', full: [block(otherLines.join('\n'))], reduced: [othersCounted] }
    )
  return chunks
}

/** `❌ <code>name</code> · failed · mandatory` with the description. */
function policyLine(policy: PolicyOutcome): string {
  const description = policy.description
    ? ` — ${escapeText(clip(policy.description, MESSAGE_CHARS))}`
    : ''
  return `${statusIcon(policy.status)} ${codeSpan(clip(policy.name, NAME_CHARS))} ${escapeText(`· ${policy.status} · ${policy.enforcement}`)}${description}`
}

/** A failed policy with its output in a collapsible block, which gives way to the line alone. */
function failedPolicyItem(policy: PolicyOutcome, detail: Detail): Chunk {
  const line = `${bullet(policyLine(policy))}\n\n`
  if (!policy.output || OUTPUT_CHARS[detail] === 0) return line
  const output = policy.output
  const full = (): Chunk[] => [
    block(details(policyLine(policy), codeBlock('', clip(output, OUTPUT_CHARS[detail]))))
  ]
  return { stage: 'diff', full, reduced: [line] }
}

function runTasksSection(checks: RunChecks, detail: Detail, level: number): Chunk[] {
  const tasks = checks.taskResults
  if (tasks.length === 0) return []
  const ordered = [
    ...tasks.filter(t => isFailedStatus(t.status)),
    ...tasks.filter(t => !isFailedStatus(t.status))
  ]
  const listed = ordered.slice(0, LISTED[detail])
  const rows = listed.map(task => taskRow(task, checks.runStatus))
  const title = block(
    heading(level, escapeText(`Run tasks: ${runTasksStatus(checks).replace('-', ' ')}`))
  )
  const more =
    ordered.length > listed.length
      ? [block(emphasis(escapeText(`and ${ordered.length - listed.length} more run tasks`)))]
      : []
  const tableBlock = block(
    table(['Task', 'Stage', 'Status', 'Enforcement', 'Message'].map(escapeText), rows)
  )
  const counted = block(
    emphasis(escapeText(`${tasks.length} run tasks; the table was left out to fit.`))
  )
  return [title, { stage: 'list', full: [tableBlock, ...more], reduced: [counted] }]
}

function taskRow(task: TaskResult, runStatus: string): string[] {
  const status = notRun(task, runStatus) ? 'not run' : task.status
  const name = link(codeSpan(clip(task.name, NAME_CHARS)), task.url)
  return [
    name,
    escapeText(task.stage.replace(/_/g, '-')),
    `${statusIcon(status)} ${escapeText(status)}`,
    escapeText(task.enforcement),
    task.message ? escapeText(clip(task.message, MESSAGE_CHARS)) : ''
  ]
}

function notesSection(notes: string[]): Chunk[] {
  if (notes.length === 0) return []
  return [
    block(notes.map(note => bullet(emphasis(escapeText(clip(note, MESSAGE_CHARS))))).join('\n'))
  ]
}

function statusIcon(status: string): string {
  if (status === 'passed') return '✅'
  if (status === 'failed' || status === 'hard_failed') return '❌'
  if (status === 'errored' || status === 'unreachable' || status === 'soft_failed') return '⚠️'
  return '⏸️'
}
