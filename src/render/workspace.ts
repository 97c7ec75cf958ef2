// One workspace's part of a comment or summary, as chunks the size budget can shrink: header and
// counts, warnings (errors, gates, destroys), diagnostics, then resources grouped by action with
// their diffs, outputs, drift and deferred changes.
import type { Diagnostic, WorkspaceResult } from '../result.js'
import { workspaceDisplayName } from '../result.js'
import type {
  DeferredChangeModel,
  PlanCounts,
  PlanModel,
  ResourceChangeModel
} from '../plan/model.js'
import { countResources, formatCounts } from '../plan/model.js'
import {
  alert,
  bullet,
  codeBlock,
  codeSpan,
  commitLink,
  details,
  detailsEnd,
  detailsStart,
  emphasis,
  escapeParagraphs,
  escapeText,
  heading,
  link,
  strong,
  table
} from './markdown.js'
import { describeDeferredChange, describeResourceChange } from './headline.js'
import type { Headline, Phrase } from './headline.js'
import { renderOutputsDiff, renderResourceDiff } from './diff.js'
import type { Chunk } from './budget.js'
import { NOTE_SLOT } from './budget.js'
import { memoizeByObject } from './memo.js'
import { runChecksSections, runStatusBlock } from './run-checks.js'
import { runFailure } from '../run/checks.js'
import { errorMessage } from '../util/error-message.js'
import { block, clip } from './layout.js'
import { sinceLastPushBlock } from './since-last-push.js'
import type { Detail } from './layout.js'
import { howToWaive, waiverText } from './overrides.js'

/** How much of a workspace to show: everything (shrinkable), or a bounded compact form. */
export interface SectionOptions {
  /** Attribute diffs under each resource (the `details` input). */
  diffs: boolean
  detail: Detail
  /** Level of the workspace's own headings; its sections go one below. */
  level: 2 | 3
  /** Show the title (a combined document shows it in the collapsible's summary instead). */
  title: boolean
  /** Put the shortened-note slot after this workspace's counts. */
  noteSlot: boolean
  label?: string
  /** The commit planned, first of the header's facts. */
  commit?: { sha: string; url: string }
  /** Resource changes under their action (default) or their module. */
  groupBy?: 'action' | 'module'
}

/** Addresses listed under a warning or gate before "and N more". */
const LISTED_ADDRESSES: Readonly<Record<Detail, number>> = { full: 25, compact: 5 }
const LISTED_DIAGNOSTICS: Readonly<Record<Detail, number>> = { full: 50, compact: 3 }
const DETAIL_CHARS: Readonly<Record<Detail, number>> = { full: 10_000, compact: 500 }
const LOG_LINES: Readonly<Record<Detail, number>> = { full: 200, compact: 20 }

export function workspaceSection(result: WorkspaceResult, options: SectionOptions): Chunk[] {
  const sub = options.level + 1
  return [
    ...(options.title
      ? [block(heading(options.level, workspaceTitle(result, options.label)))]
      : []),
    block(headerLines(result, options.commit)),
    ...(result.sinceLastPush
      ? [block(sinceLastPushBlock(result.sinceLastPush, options.detail))]
      : []),
    block(countsTable(result.model.counts, result.model.source === 'api-counts')),
    ...runStatusChunk(result),
    ...(options.noteSlot ? [NOTE_SLOT as Chunk] : []),
    ...alerts(result, options.detail).map(block),
    ...diagnosticsSection(result, options.detail, sub),
    ...failedChecksSection(result, options.detail, sub),
    ...runChecksSections(result, options.detail, sub),
    ...resourceSection(result, options, sub),
    ...outputsSection(result.model, options, sub),
    ...driftSection(result.model.drift, options, sub),
    ...deferredSection(result, options, sub)
  ]
}

function isErrored(result: WorkspaceResult): boolean {
  return result.status === 'errored' || result.model.errored
}

export function statusIcon(result: WorkspaceResult): string {
  if (result.gates.length > 0) return '⛔'
  if (isErrored(result)) return '❌'
  switch (result.status) {
    case 'finished':
      return result.model.hasChanges ? '📝' : '✅'
    case 'canceled':
    case 'force_canceled':
      return '🚫'
    case 'unreachable':
      return '⚪'
    default:
      return '⏳'
  }
}

/** The plan's status, and the run's when HCP Terraform failed the run or holds it. */
export function statusText(result: WorkspaceResult): string {
  const held = result.checks && runFailure(result.checks.runStatus)
  const plan = planStatusText(result)
  if (!held || isErrored(result) || result.status === 'canceled') return plan
  return result.status === 'finished' ? `${plan} · ${held}` : held
}

function runStatusChunk(result: WorkspaceResult): Chunk[] {
  const text = runStatusBlock(result)
  return text === undefined ? [] : [block(text)]
}

function planStatusText(result: WorkspaceResult): string {
  if (isErrored(result)) return 'plan errored'
  switch (result.status) {
    case 'finished':
      return result.model.hasChanges ? 'changes planned' : 'no changes'
    case 'unreachable':
      return 'plan unreachable (it never ran)'
    default:
      return `plan ${clip(result.status, 60)}`
  }
}

/** `⛔ <code>org/ws</code>: changes planned · merge gate tripped`, safe inline. */
export function workspaceTitle(result: WorkspaceResult, label?: string): string {
  const gates =
    result.gates.length > 0
      ? ` · ${escapeText('merge gate tripped')}`
      : (result.waived ?? []).length > 0
        ? ` · ${escapeText('merge gate waived')}`
        : ''
  const labelled = label ? ` · ${codeSpan(clip(label))}` : ''
  return `${statusIcon(result)} ${codeSpan(clip(workspaceDisplayName(result)))}${labelled}: ${escapeText(statusText(result))}${gates}`
}

function headerLines(result: WorkspaceResult, commit?: SectionOptions['commit']): string {
  const { model } = result
  const lines = model.summaryLine ? [strong(escapeText(model.summaryLine))] : []
  if (result.status === 'finished' && !model.hasChanges && model.source !== 'api-counts')
    lines.push(escapeText('No changes. Your infrastructure matches the configuration.'))

  const facts: string[] = commit ? [commitLink(commit)] : []
  const run = result.runId ?? result.planId
  facts.push(link(`${escapeText('Run')} ${codeSpan(clip(run))}`, result.runUrl))
  if (result.organization !== undefined)
    facts.push(`${escapeText('organization')} ${codeSpan(clip(result.organization))}`)
  if (result.workspace !== undefined)
    facts.push(`${escapeText('workspace')} ${codeSpan(clip(result.workspace))}`)
  if (model.terraformVersion !== undefined)
    facts.push(`Terraform ${codeSpan(clip(model.terraformVersion))}`)
  const execution = executionText(result)
  if (execution) facts.push(execution)
  lines.push(facts.join(' · '))
  return lines.join('<br>\n')
}

function executionText(result: WorkspaceResult): string | undefined {
  const execution = result.execution
  if (!execution) return undefined
  if (execution.agentName === undefined && execution.agentPoolName === undefined)
    return execution.mode
      ? `${escapeText('execution')} ${codeSpan(clip(execution.mode))}`
      : undefined
  const agent = execution.agentName !== undefined ? ` ${codeSpan(clip(execution.agentName))}` : ''
  const pool =
    execution.agentPoolName !== undefined
      ? ` ${escapeText('in pool')} ${codeSpan(clip(execution.agentPoolName))}`
      : ''
  return `${escapeText('agent')}${agent}${pool}`
}

const COUNT_COLUMNS: readonly [keyof PlanCounts, string][] = [
  ['add', 'Add'],
  ['change', 'Change'],
  ['destroy', 'Destroy'],
  ['replace', 'Replace'],
  ['import', 'Import'],
  ['move', 'Move'],
  ['forget', 'Forget']
]

/** All seven counts, always; replace, move and forget are unknown when only the API's counts are. */
function countsTable(counts: PlanCounts, apiCountsOnly: boolean): string {
  const unknown = new Set<keyof PlanCounts>(apiCountsOnly ? ['replace', 'move', 'forget'] : [])
  return table(
    COUNT_COLUMNS.map(([, title]) => escapeText(title)),
    [COUNT_COLUMNS.map(([key]) => (unknown.has(key) ? '–' : String(counts[key])))],
    COUNT_COLUMNS.map(() => 'right')
  )
}

function alerts(result: WorkspaceResult, detail: Detail): string[] {
  const found: string[] = []
  if (isErrored(result)) {
    const problems = result.diagnostics.filter(d => d.severity === 'error').length
    const explanation =
      problems > 0
        ? `${problems} ${problems === 1 ? 'error' : 'errors'} below.`
        : result.logTail && result.logTail.length > 0
          ? 'The end of the plan log is below.'
          : 'HCP Terraform gave no error details; see the run.'
    found.push(
      alert('CAUTION', `${strong(escapeText('The plan errored.'))} ${escapeText(explanation)}`)
    )
  }
  if (result.gates.length > 0) {
    const lines = result.gates.flatMap(gate => {
      // Before the address list: a line after it would continue its last item.
      const hint = howToWaive(gate, result.waiveRoute)
      return [
        `${strong(escapeText(`Gate tripped: ${gate.condition}`))} — ${escapeText(clip(gate.message, DETAIL_CHARS[detail]))}${hint ? `<br>\n${hint}` : ''}`,
        ...addressList(gate.addresses, detail)
      ]
    })
    found.push(alert('CAUTION', lines.join('\n')))
  }
  const waived = result.waived ?? []
  if (waived.length > 0) {
    const lines = waived.flatMap(gate => [
      `${strong(escapeText(`Gate waived: ${gate.condition}`))} — ${escapeText(clip(gate.message, DETAIL_CHARS[detail]))} · ${waiverText(gate.waiver)}`,
      ...addressList(gate.addresses, detail)
    ])
    found.push(alert('NOTE', lines.join('\n')))
  }
  const destructive = destructiveChanges(result, detail)
  if (destructive) found.push(alert('WARNING', destructive))
  if (result.model.source === 'api-counts') {
    const why = result.detailsNote ?? 'The JSON plan could not be read.'
    found.push(
      alert(
        'IMPORTANT',
        `${strong(escapeText('Per-resource details are not available.'))} ${escapeText(clip(why, DETAIL_CHARS[detail]))}`
      )
    )
  }
  if (result.warnings.length > 0) {
    const listed = result.warnings.slice(0, LISTED_ADDRESSES[detail])
    const more = result.warnings.length - listed.length
    const lines = listed.map(w => bullet(escapeText(clip(w, DETAIL_CHARS[detail]))))
    if (more > 0) lines.push(bullet(escapeText(`and ${more} more`)))
    found.push(alert('WARNING', lines.join('\n')))
  }
  return found
}

/** Destroys and replaces, called out at the top with their addresses. */
function destructiveChanges(result: WorkspaceResult, detail: Detail): string | undefined {
  const { model } = result
  const destroyed = model.resources.filter(r => r.action === 'delete' || r.action === 'replace')
  if (model.source === 'api-counts') {
    if (model.counts.destroy === 0) return undefined
    return strong(escapeText(`This plan destroys ${plural(model.counts.destroy, 'resource')}.`))
  }
  if (destroyed.length === 0) return undefined
  const deletes = destroyed.filter(r => r.action === 'delete').length
  const replaces = destroyed.length - deletes
  const parts = [
    ...(deletes > 0 ? [`destroys ${plural(deletes, 'resource')}`] : []),
    ...(replaces > 0 ? [`replaces ${plural(replaces, 'resource')}`] : [])
  ]
  const listed = destroyed.slice(0, LISTED_ADDRESSES[detail])
  const lines = [
    strong(escapeText(`This plan ${parts.join(' and ')}.`)),
    ...listed.map(r => bullet(changeHeadline(r))),
    ...(destroyed.length > listed.length
      ? [bullet(escapeText(`and ${destroyed.length - listed.length} more`))]
      : [])
  ]
  return lines.join('\n')
}

function addressList(addresses: readonly string[], detail: Detail): string[] {
  const listed = addresses.slice(0, LISTED_ADDRESSES[detail])
  const lines = listed.map(address => bullet(codeSpan(clip(address))))
  if (addresses.length > listed.length)
    lines.push(bullet(escapeText(`and ${addresses.length - listed.length} more`)))
  return lines
}

function diagnosticsSection(result: WorkspaceResult, detail: Detail, level: number): Chunk[] {
  const chunks: Chunk[] = []
  const ordered = [
    ...result.diagnostics.filter(d => d.severity === 'error'),
    ...result.diagnostics.filter(d => d.severity !== 'error')
  ]
  if (ordered.length > 0) {
    chunks.push(block(heading(level, escapeText('Diagnostics'))))
    const listed = ordered.slice(0, LISTED_DIAGNOSTICS[detail])
    for (const diagnostic of listed) chunks.push(...diagnosticBlocks(diagnostic, detail).map(block))
    if (ordered.length > listed.length)
      chunks.push(
        block(
          emphasis(
            escapeText(`and ${ordered.length - listed.length} more diagnostics; see the run`)
          )
        )
      )
  }
  if (result.logTail && result.logTail.length > 0) {
    const lines = result.logTail
      .slice(-LOG_LINES[detail])
      .map(line => clip(line, DETAIL_CHARS[detail]))
    chunks.push(
      block(heading(level, escapeText(`Plan log (last ${plural(lines.length, 'line')})`))),
      block(codeBlock('', lines.join('\n')))
    )
  }
  return chunks
}

export function diagnosticBlocks(diagnostic: Diagnostic, detail: Detail): string[] {
  const icon = diagnostic.severity === 'error' ? '❌ Error' : '⚠️ Warning'
  const blocks = [
    strong(
      `${escapeText(`${icon}:`)} ${escapeText(clip(diagnostic.summary, DETAIL_CHARS[detail]))}`
    )
  ]
  if (diagnostic.filename !== undefined) {
    const where = diagnostic.line !== undefined ? ` ${escapeText(`line ${diagnostic.line}`)}` : ''
    const context = diagnostic.snippet?.context
      ? `, ${escapeText('in')} ${codeSpan(clip(diagnostic.snippet.context))}`
      : ''
    blocks.push(`${escapeText('on')} ${codeSpan(clip(diagnostic.filename))}${where}${context}:`)
  }
  if (diagnostic.address !== undefined)
    blocks.push(`${escapeText('Resource')} ${codeSpan(clip(diagnostic.address))}`)
  const snippet = diagnostic.snippet
  if (snippet && detail === 'full') {
    const numbered = clip(snippet.code, DETAIL_CHARS.full)
      .split('\n')
      .map((code, i) => `${String(snippet.startLine + i).padStart(4)}: ${code}`)
    blocks.push(codeBlock('hcl', numbered.join('\n')))
  }
  if (diagnostic.detail)
    blocks.push(escapeParagraphs(clip(diagnostic.detail, DETAIL_CHARS[detail])))
  return blocks
}

function failedChecksSection(result: WorkspaceResult, detail: Detail, level: number): Chunk[] {
  const checks = result.model.failedChecks
  if (checks.length === 0) return []
  const listed = checks.slice(0, LISTED_ADDRESSES[detail])
  const lines = listed.map(check => {
    const problems = check.problems
      .slice(0, LISTED_ADDRESSES[detail])
      .map(problem => escapeText(clip(problem, DETAIL_CHARS[detail])))
      .join('; ')
    const status = emphasis(escapeText(clip(check.status)))
    return bullet(`${codeSpan(clip(check.address))} ${status}${problems ? `: ${problems}` : ''}`)
  })
  if (checks.length > listed.length)
    lines.push(bullet(escapeText(`and ${checks.length - listed.length} more`)))
  return [block(heading(level, escapeText('Failed checks'))), block(lines.join('\n'))]
}

interface ActionGroup {
  title: string
  matches: (resource: ResourceChangeModel) => boolean
}

/** Groups in reading order; a resource goes to the first group that takes it. */
const ACTION_GROUPS: readonly ActionGroup[] = [
  { title: '➕ Create', matches: r => r.action === 'create' },
  { title: '🔄 Update in-place', matches: r => r.action === 'update' },
  { title: '♻️ Replace', matches: r => r.action === 'replace' || r.action === 'create-forget' },
  { title: '🗑️ Destroy', matches: r => r.action === 'delete' },
  { title: '🫥 Forget (remove from state)', matches: r => r.action === 'forget' },
  { title: '🚚 Move', matches: r => r.action === 'no-op' && r.previousAddress !== undefined },
  { title: '📥 Import', matches: r => r.action === 'no-op' && !!r.importing },
  { title: '📖 Read', matches: r => r.action === 'read' }
]

function resourceSection(result: WorkspaceResult, options: SectionOptions, level: number): Chunk[] {
  const resources = result.model.resources
  if (resources.length === 0) return []
  if (options.groupBy === 'module') return moduleSection(resources, options, level)
  const groups = groupItems(resources, resource => ACTION_GROUPS.find(g => g.matches(resource)))
  const chunks: Chunk[] = [block(heading(level, escapeText('Resource changes')))]
  for (const group of ACTION_GROUPS) {
    const members = groups.get(group)
    if (!members) continue
    const title = escapeText(`${group.title} (${members.length})`)
    chunks.push(resourceList(title, listedChanges(members), options, level + 1))
  }
  return chunks
}

/** A module with more resources than this is folded: its summary line shows its counts. */
const FOLD_MODULE_AT = 10

/** `group-by: module`: the root module first, then each module by path, with its own counts. */
function moduleSection(
  resources: readonly ResourceChangeModel[],
  options: SectionOptions,
  level: number
): Chunk[] {
  const modules = groupItems(resources, resource => resource.moduleAddress ?? '')
  const paths = [...modules.keys()].sort((a, b) => (a === b ? 0 : a < b ? -1 : 1))
  const chunks: Chunk[] = [block(heading(level, escapeText('Resource changes by module')))]
  for (const path of paths) {
    const members = actionOrder(modules.get(path) ?? [])
    const name = path === '' ? escapeText('root module') : codeSpan(clip(path))
    const counts = escapeText(`(${members.length}) · ${formatCounts(countResources(members))}`)
    const folded = members.length > FOLD_MODULE_AT
    chunks.push(
      resourceList(`📦 ${name} ${counts}`, listedChanges(members), options, level + 1, folded)
    )
  }
  return chunks
}

/** The members of each key, keys in order of first appearance; undefined keys are left out. */
function groupItems<K, T>(items: readonly T[], keyOf: (item: T) => K | undefined): Map<K, T[]> {
  const groups = new Map<K, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    if (key === undefined) continue
    const members = groups.get(key)
    if (members) members.push(item)
    else groups.set(key, [item])
  }
  return groups
}

/** Resources in the order of ACTION_GROUPS, plan order within each. */
function actionOrder(resources: readonly ResourceChangeModel[]): ResourceChangeModel[] {
  const rank = (resource: ResourceChangeModel): number =>
    ACTION_GROUPS.findIndex(group => group.matches(resource))
  return [...resources].sort((a, b) => rank(a) - rank(b))
}

function listedChanges(resources: readonly ResourceChangeModel[]): ListedResource[] {
  return resources.map(resource => ({ resource, headline: changeHeadline(resource) }))
}

interface ListedResource {
  resource: ResourceChangeModel
  /** The headline as safe inline HTML. */
  headline: string
}

const changeHeadline = memoizeByObject((resource: ResourceChangeModel) =>
  headlineHtml(describeResourceChange(resource))
)
const driftHeadline = memoizeByObject((resource: ResourceChangeModel) =>
  headlineHtml(describeResourceChange(resource, 'drift'))
)
const deferredHeadline = memoizeByObject((deferred: DeferredChangeModel) =>
  headlineHtml(describeDeferredChange(deferred))
)
/** The diff as a code block; rendered only when the size budget asks for it (see fitChunks). */
const diffBlock = memoizeByObject((resource: ResourceChangeModel) =>
  diffOrProblem(() => codeBlock('diff', renderResourceDiff(resource) + hiddenNote(resource)))
)

/** Terraform-style, below the diff: how many attribute changes hide-attributes left out. */
function hiddenNote(resource: ResourceChangeModel): string {
  const hidden = resource.hiddenAttributeChanges ?? 0
  if (hidden === 0) return ''
  return `\n# (${plural(hidden, 'attribute change')} hidden by hide-attributes)`
}
const outputsDiffBlock = memoizeByObject((model: PlanModel) =>
  diffOrProblem(() => codeBlock('diff', renderOutputsDiff(model.outputs, model.allOutputNames)))
)

/**
 * A titled list of resources: each with its diff (shrinkable to the headline), or just counted.
 * The title is safe inline HTML; a folded list is a collapsed section with the title as summary.
 */
function resourceList(
  title: string,
  entries: readonly ListedResource[],
  options: SectionOptions,
  level: number,
  folded = false
): Chunk {
  const opening = block(folded ? detailsStart(title) : heading(level, title))
  const closing = folded ? [block(detailsEnd())] : []
  const note = `${plural(entries.length, 'resource')}; the list was left out to fit.`
  const counted = [opening, block(emphasis(escapeText(note))), ...closing]
  if (options.detail === 'compact') return counted.join('')
  const items = entries.map(entry => resourceItem(entry, options.diffs))
  // The closing blank line ends the bullet list that headline-only items form.
  return { stage: 'list', full: [opening, ...items, '\n', ...closing], reduced: counted }
}

function resourceItem({ resource, headline }: ListedResource, withDiff: boolean): Chunk {
  const listed = `${bullet(headline)}\n`
  if (!withDiff) return listed
  const full = (): Chunk[] => {
    const diff = diffBlock(resource)
    if (typeof diff !== 'string') return [`${bullet(`${headline} ${diff.problem}`)}\n`]
    // Starts with a blank line too: a headline-only item (a bullet) may come just before it.
    return [`\n${block(details(headline, diff))}`]
  }
  return { stage: 'diff', full, reduced: [listed] }
}

/**
 * A diff, or why it cannot be shown: a value nested deeper than the stack allows (a hostile JSON
 * string, say) must not take the whole comment down with it.
 */
function diffOrProblem(renderDiff: () => string): string | { problem: string } {
  try {
    return renderDiff()
  } catch (error) {
    const reason = errorMessage(error)
    return { problem: emphasis(escapeText(`(the diff could not be shown: ${clip(reason, 200)})`)) }
  }
}

/** Headline as safe inline HTML: addresses as code, Terraform's notes in italics. */
function headlineHtml(headline: Headline): string {
  const notes = headline.notes.map(note => ` ${emphasis(phraseHtml(note))}`).join('')
  return `${phraseHtml(headline.phrase)}${notes}`
}

function phraseHtml(phrase: Phrase): string {
  return phrase
    .map(part => (typeof part === 'string' ? escapeText(part) : codeSpan(clip(part.code))))
    .join('')
}

const OUTPUT_VERBS: Readonly<Record<string, string>> = {
  create: 'added',
  delete: 'removed',
  update: 'changed'
}

function outputsSection(model: PlanModel, options: SectionOptions, level: number): Chunk[] {
  const { outputs } = model
  if (outputs.length === 0) return []
  const titled = block(heading(level, escapeText(`Changes to Outputs (${outputs.length})`)))
  const names = outputs.map(output => {
    const verb = OUTPUT_VERBS[output.action] ?? output.action
    const sensitive = output.sensitive ? ` ${emphasis(escapeText('(sensitive)'))}` : ''
    return bullet(`${codeSpan(clip(output.name))} ${escapeText(verb)}${sensitive}`)
  })
  const listed = block(names.join('\n'))
  const counted = block(
    emphasis(
      escapeText(`${plural(outputs.length, 'output')} change; the list was left out to fit.`)
    )
  )
  if (options.detail === 'compact') return [titled, counted]
  const full = (): Chunk[] => {
    const diff = outputsDiffBlock(model)
    return [typeof diff === 'string' ? block(diff) : `${listed}${block(diff.problem)}`]
  }
  const body: Chunk = options.diffs ? { stage: 'diff', full, reduced: [listed] } : listed
  return [{ stage: 'list', full: [titled, body], reduced: [titled, counted] }]
}

function driftSection(
  drift: readonly ResourceChangeModel[],
  options: SectionOptions,
  level: number
): Chunk[] {
  if (drift.length === 0) return []
  const intro = block(
    escapeText(
      'Terraform detected the following changes made outside of Terraform since the last "terraform apply" which may have affected this plan:'
    )
  )
  return [
    block(heading(level, escapeText('🌀 Objects have changed outside of Terraform'))),
    intro,
    resourceList(
      escapeText(`Drifted (${drift.length})`),
      drift.map(resource => ({ resource, headline: driftHeadline(resource) })),
      options,
      level + 1
    )
  ]
}

function deferredSection(result: WorkspaceResult, options: SectionOptions, level: number): Chunk[] {
  const deferred = result.model.deferred
  if (deferred.length === 0) return []
  return [
    block(heading(level, escapeText('⏸️ Deferred changes'))),
    block(
      escapeText(
        'This is a partial plan: these changes can only be known in the next plan / apply cycle.'
      )
    ),
    resourceList(
      escapeText(`Deferred (${deferred.length})`),
      deferred.map(d => ({ resource: d.resource, headline: deferredHeadline(d) })),
      options,
      level + 1
    )
  ]
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
