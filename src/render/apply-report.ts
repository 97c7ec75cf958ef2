// The apply comment on the merged pull request and the apply part of the job summary: one
// workspace, or several behind an overview table. Pure: results in, Markdown out.
import type { WorkspaceResult } from '../result.js'
import { workspaceDisplayName } from '../result.js'
import type { ApplyOutcome, ApplyOutput, ApplyReport, AppliedResource } from '../run/apply.js'
import { APPLY_OUTCOME_WORDS, applySummaryLine } from '../run/apply.js'
import type { AlertKind } from './markdown.js'
import {
  alert,
  codeBlock,
  codeSpan,
  commitLink,
  emphasis,
  escapeText,
  heading,
  link,
  strong,
  table,
  withMasker
} from './markdown.js'
import type { Masker } from '../util/mask.js'
import { NOTE_SLOT, fitChunks, utf16Length, utf8Length } from './budget.js'
import type { Chunk, Measure } from './budget.js'
import { block, clip } from './layout.js'
import type { Detail } from './layout.js'
import { diagnosticBlocks, plural } from './workspace.js'

export interface ApplyRenderOptions {
  /** Hidden marker the comment starts with; not used in the summary. */
  marker?: string
  label?: string
  /** The applied commit, named in the header. */
  commit?: { sha: string; url: string }
  maxLength: number
  /** Matches of the `mask` input are shown as `(masked)`, as in the plan's report. */
  masker?: Masker
}

const ICONS: Readonly<Record<ApplyOutcome, string>> = {
  applied: '✅',
  errored: '❌',
  discarded: '🚫',
  canceled: '🚫',
  'awaiting-confirmation': '⏸️',
  'awaiting-override': '⏸️',
  'nothing-to-apply': '✅'
}
const LISTED: Readonly<Record<Detail, number>> = { full: 100, compact: 10 }
const VALUE_CHARS: Readonly<Record<Detail, number>> = { full: 2_000, compact: 200 }

/** The apply comment for one workspace, or a combined one for several. */
export function renderApplyComment(
  results: WorkspaceResult[],
  options: ApplyRenderOptions
): string {
  return renderApplyDocument(results, options, utf16Length)
}

/** The apply part of the job summary (its limit counts UTF-8 bytes). */
export function renderApplySummary(
  results: WorkspaceResult[],
  options: ApplyRenderOptions
): string {
  return renderApplyDocument(results, { ...options, marker: undefined }, utf8Length)
}

function renderApplyDocument(
  results: WorkspaceResult[],
  options: ApplyRenderOptions,
  measure: Measure
): string {
  return withMasker(options.masker, () => fitApplyDocument(results, options, measure))
}

function fitApplyDocument(
  results: WorkspaceResult[],
  options: ApplyRenderOptions,
  measure: Measure
): string {
  const applied = results.filter(hasApply)
  const note = block(
    alert('NOTE', escapeText("Shortened to fit GitHub's size limit: the full apply is in the run."))
  )
  for (const detail of ['full', 'compact'] as const) {
    const text = fitChunks(
      documentChunks(applied, options, detail),
      options.maxLength,
      measure,
      note
    )
    if (text !== undefined) return text
  }
  // The last resort: one line per workspace.
  const start = options.marker ? `${options.marker}\n` : ''
  const lines = applied.map(result => `- ${titleOf(result, options.label)}\n`)
  let text = start
  for (const line of lines) if (measure(text + line) <= options.maxLength) text += line
  return text
}

type Applied = WorkspaceResult & { apply: ApplyReport }

function hasApply(result: WorkspaceResult): result is Applied {
  return result.apply !== undefined
}

function documentChunks(results: Applied[], options: ApplyRenderOptions, detail: Detail): Chunk[] {
  const start: Chunk[] = options.marker ? [`${options.marker}\n`] : []
  if (results.length === 1) {
    return [
      ...start,
      block(heading(2, titleOf(results[0], options.label))),
      NOTE_SLOT,
      ...section(results[0], options, detail, 3)
    ]
  }
  const labelled = options.label ? ` · ${codeSpan(clip(options.label))}` : ''
  return [
    ...start,
    block(
      heading(
        2,
        `${escapeText(`Terraform applies for ${plural(results.length, 'workspace')}`)}${labelled}`
      )
    ),
    ...(options.commit ? [block(commitLink(options.commit))] : []),
    block(overviewTable(results)),
    NOTE_SLOT,
    ...results.flatMap(result => [
      block(heading(3, titleOf(result))),
      ...section(result, { ...options, commit: undefined }, detail, 4)
    ])
  ]
}

function titleOf(result: Applied, label?: string): string {
  const labelled = label ? ` · ${codeSpan(clip(label))}` : ''
  const outcome = APPLY_OUTCOME_WORDS[result.apply.outcome]
  return `${ICONS[result.apply.outcome]} ${escapeText(`Terraform apply: ${outcome}`)} · ${codeSpan(clip(workspaceDisplayName(result)))}${labelled}`
}

function overviewTable(results: Applied[]): string {
  return table(
    ['Workspace', 'Result', 'Added', 'Changed', 'Destroyed', 'Run'].map(escapeText),
    results.map(result => {
      const { apply } = result
      return [
        `${ICONS[apply.outcome]} ${codeSpan(clip(workspaceDisplayName(result)))}`,
        escapeText(APPLY_OUTCOME_WORDS[apply.outcome]),
        String(apply.counts.add),
        String(apply.counts.change),
        String(apply.counts.destroy),
        link(codeSpan(clip(result.runId ?? result.planId)), result.runUrl)
      ]
    }),
    ['left', 'left', 'right', 'right', 'right', 'left']
  )
}

function section(
  result: Applied,
  options: ApplyRenderOptions,
  detail: Detail,
  level: number
): Chunk[] {
  const { apply } = result
  return [
    block(headerLines(result, options)),
    ...outcomeAlert(result),
    ...gateLines(result),
    ...resourcesSection(apply, detail, level),
    ...diagnosticsSection(apply, detail, level),
    ...outputsSection(apply, detail, level),
    ...(apply.note ? [block(emphasis(escapeText(clip(apply.note))))] : [])
  ]
}

function headerLines(result: Applied, options: ApplyRenderOptions): string {
  const { apply } = result
  const lines: string[] = []
  if (apply.outcome === 'applied')
    lines.push(strong(escapeText(`Apply complete! ${applySummaryLine(apply.counts)}`)))
  else if (apply.outcome === 'errored' && apply.applyStatus === 'errored')
    lines.push(strong(escapeText(`Apply errored. ${applySummaryLine(apply.counts)}`)))
  else if (apply.outcome === 'nothing-to-apply')
    lines.push(escapeText('No changes: the run had nothing to apply.'))
  const facts: string[] = options.commit ? [commitLink(options.commit)] : []
  facts.push(
    link(`${escapeText('Run')} ${codeSpan(clip(result.runId ?? result.planId))}`, result.runUrl)
  )
  facts.push(`${escapeText('run status')} ${codeSpan(clip(apply.runStatus))}`)
  lines.push(facts.join(' · '))
  return lines.join('  \n')
}

/** What a person can do about a run that was not applied: kind of alert and its words. */
const OUTCOME_ALERTS: Partial<Record<ApplyOutcome, [AlertKind, string]>> = {
  'awaiting-confirmation': [
    'IMPORTANT',
    'Nothing is applied yet: the run awaits confirmation. Confirm or discard it in HCP Terraform:'
  ],
  'awaiting-override': [
    'IMPORTANT',
    'Nothing is applied yet: a policy failed and the run awaits an override. Override or discard it in HCP Terraform:'
  ],
  discarded: ['WARNING', 'Nothing was applied: the run was discarded. The run:'],
  canceled: ['WARNING', 'Nothing was applied: the run was canceled. The run:']
}

function outcomeAlert(result: Applied): Chunk[] {
  const found = OUTCOME_ALERTS[result.apply.outcome]
  if (found === undefined) return []
  const run = link(codeSpan(clip(result.runId ?? result.planId)), result.runUrl)
  return [block(alert(found[0], `${escapeText(found[1])} ${run}`))]
}

function gateLines(result: Applied): Chunk[] {
  return result.gates.map(gate =>
    block(
      alert(
        'CAUTION',
        `${strong(escapeText(`Gate tripped: ${gate.condition}`))} — ${escapeText(clip(gate.message, 1000))}`
      )
    )
  )
}

/** Every resource on an error (what completed, what failed); nothing otherwise. */
function resourcesSection(apply: ApplyReport, detail: Detail, level: number): Chunk[] {
  if (apply.outcome !== 'errored') return []
  return listedTable(
    'Resources',
    ['Resource', 'Action', 'Result'],
    apply.resources.map(resource => () => [
      codeSpan(clip(resource.address)),
      escapeText(resource.action),
      escapeText(resourceResult(resource))
    ]),
    { detail, level, noun: 'resource' }
  )
}

/**
 * A heading and a table of at most LISTED[detail] rows (rendered only when listed), which the
 * size budget may reduce to a count.
 */
function listedTable(
  title: string,
  headers: string[],
  rows: (() => string[])[],
  { detail, level, noun }: { detail: Detail; level: number; noun: string }
): Chunk[] {
  if (rows.length === 0) return []
  const listed = rows.slice(0, LISTED[detail]).map(row => row())
  const more =
    rows.length > listed.length
      ? [
          block(
            emphasis(
              escapeText(`and ${plural(rows.length - listed.length, noun)} more; see the run`)
            )
          )
        ]
      : []
  return [
    block(heading(level, escapeText(title))),
    {
      stage: 'list',
      full: [block(table(headers.map(escapeText), listed)), ...more],
      reduced: [block(emphasis(escapeText(`${plural(rows.length, noun)}; see the run`)))]
    }
  ]
}

function resourceResult(resource: AppliedResource): string {
  const after = resource.elapsedSeconds !== undefined ? ` after ${resource.elapsedSeconds}s` : ''
  switch (resource.outcome) {
    case 'complete':
      return `✅ complete${after}`
    case 'errored':
      return `❌ errored${after}`
    default:
      return '⏹️ started, not finished'
  }
}

function diagnosticsSection(apply: ApplyReport, detail: Detail, level: number): Chunk[] {
  const chunks: Chunk[] = []
  if (apply.diagnostics.length > 0) {
    const listed = apply.diagnostics.slice(0, LISTED[detail])
    chunks.push(block(heading(level, escapeText('Diagnostics'))))
    for (const diagnostic of listed) chunks.push(...diagnosticBlocks(diagnostic, detail).map(block))
  }
  if (apply.logTail && apply.logTail.length > 0) {
    chunks.push(
      block(heading(level, escapeText(`Apply log (last ${plural(apply.logTail.length, 'line')})`))),
      block(codeBlock('', apply.logTail.join('\n')))
    )
  }
  return chunks
}

/** Root module outputs after the apply; a sensitive one shows that it exists, never its value. */
function outputsSection(apply: ApplyReport, detail: Detail, level: number): Chunk[] {
  return listedTable(
    'Outputs',
    ['Output', 'Value'],
    apply.outputs.map(output => () => [codeSpan(clip(output.name)), outputValue(output, detail)]),
    { detail, level, noun: 'output' }
  )
}

function outputValue(output: ApplyOutput, detail: Detail): string {
  if (output.sensitive) return emphasis(escapeText('(sensitive value)'))
  const text = typeof output.value === 'string' ? output.value : JSON.stringify(output.value)
  return codeSpan(clip(text, VALUE_CHARS[detail]))
}
