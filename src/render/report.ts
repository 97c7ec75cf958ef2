// The PR comment and the job summary: one workspace, or several behind an overview table, composed
// from whole blocks within a size limit. Pure: results in, Markdown out.
import type { WorkspaceResult } from '../result.js'
import { workspaceDisplayName } from '../result.js'
import {
  alert,
  bullet,
  codeSpan,
  commitLink,
  detailsEnd,
  detailsStart,
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
import { plural, statusIcon, statusText, workspaceSection, workspaceTitle } from './workspace.js'
import { block, clip } from './layout.js'
import type { Detail } from './layout.js'

export { commentMarker } from './markdown.js'

export interface RenderOptions {
  /** Hidden marker the comment must start with (from commentMarker); not used in the summary. */
  marker?: string
  /** Show per-resource attribute diffs. */
  details: boolean
  /** The comment label, shown in the title. */
  label?: string
  /** Longest document: 65536 for a comment (UTF-16 units), 1,000,000 for the summary (UTF-8 bytes). */
  maxLength: number
  /** Where the full plan can be read when the comment had to be shortened (job summary or run). */
  summaryUrl?: string
  /** The commit the plans are for, named in the header. */
  commit?: { sha: string; url: string }
  /** Resource changes under their action (default) or their module (`group-by`). */
  groupBy?: 'action' | 'module'
  /** Matches of the `mask` input are shown as `(masked)` (see withMasker). */
  masker?: Masker
}

type DocumentKind = 'comment' | 'summary'

/** The PR comment for one workspace, or a combined comment for several. */
export function renderComment(results: WorkspaceResult[], options: RenderOptions): string {
  return renderDocument(results, options, 'comment', utf16Length)
}

/**
 * The job summary: the same content, always with the overview table. The step summary's limit is
 * in bytes, so the budget is counted in UTF-8 bytes.
 */
export function renderSummary(results: WorkspaceResult[], options: RenderOptions): string {
  return renderDocument(results, options, 'summary', utf8Length)
}

function renderDocument(
  results: WorkspaceResult[],
  options: RenderOptions,
  kind: DocumentKind,
  measure: Measure
): string {
  return withMasker(options.masker, () => fitDocument(results, options, kind, measure))
}

function fitDocument(
  results: WorkspaceResult[],
  options: RenderOptions,
  kind: DocumentKind,
  measure: Measure
): string {
  const note = shortenedNote(results, options, kind)
  for (const detail of ['full', 'compact'] as const) {
    const text = fitChunks(
      documentChunks(results, options, kind, detail),
      options.maxLength,
      measure,
      note
    )
    if (text !== undefined) return text
  }
  return minimalDocument(results, options, kind, measure, note)
}

function documentChunks(
  results: WorkspaceResult[],
  options: RenderOptions,
  kind: DocumentKind,
  detail: Detail
): Chunk[] {
  const start = markerChunk(options, kind)
  const diffs = options.details
  if (results.length === 0) return [...start, block(escapeText('No workspaces were summarized.'))]
  if (results.length === 1) {
    const overview = kind === 'summary' ? [block(overviewTable(results))] : []
    const section = workspaceSection(results[0], {
      diffs,
      detail,
      level: 2,
      title: true,
      noteSlot: true,
      label: options.label,
      commit: options.commit,
      groupBy: options.groupBy
    })
    return [...start, ...overview, ...section]
  }
  return [
    ...start,
    block(heading(2, documentTitle(results, options.label))),
    ...(options.commit ? [block(`${escapeText('For')} ${commitLink(options.commit)}`)] : []),
    block(overviewTable(results)),
    NOTE_SLOT,
    ...results.flatMap(result => [
      block(detailsStart(`${workspaceTitle(result)} · ${escapeText(result.model.summaryLine)}`)),
      ...workspaceSection(result, {
        diffs,
        detail,
        level: 3,
        title: false,
        noteSlot: false,
        groupBy: options.groupBy
      }),
      block(detailsEnd())
    ])
  ]
}

function markerChunk(options: RenderOptions, kind: DocumentKind): Chunk[] {
  return kind === 'comment' && options.marker ? [`${options.marker}\n`] : []
}

function documentTitle(results: WorkspaceResult[], label?: string): string {
  const labelled = label ? ` · ${codeSpan(clip(label))}` : ''
  return `${escapeText(`Terraform plans for ${plural(results.length, 'workspace')}`)}${labelled}`
}

/** Workspace, status, add / change / destroy, link: one row per workspace. */
function overviewTable(results: WorkspaceResult[]): string {
  return table(
    ['Workspace', 'Status', 'Add', 'Change', 'Destroy', 'Run'].map(escapeText),
    results.map(overviewRow),
    ['left', 'left', 'right', 'right', 'right', 'left']
  )
}

function overviewRow(result: WorkspaceResult): string[] {
  const { counts } = result.model
  const gates = result.gates.map(gate => gate.condition)
  const tripped = gates.length > 0 ? ` · ${escapeText(`gate tripped: ${gates.join(', ')}`)}` : ''
  const waived = (result.waived ?? []).map(gate => gate.condition)
  const waivedText =
    waived.length > 0 ? ` · ${escapeText(`gate waived: ${waived.join(', ')}`)}` : ''
  const status = `${escapeText(statusText(result))}${tripped}${waivedText}`
  return [
    `${statusIcon(result)} ${codeSpan(clip(workspaceDisplayName(result)))}`,
    status,
    String(counts.add),
    String(counts.change),
    String(counts.destroy),
    link(codeSpan(clip(result.runId ?? result.planId)), result.runUrl)
  ]
}

/** Says the document was shortened and where the rest is. */
function shortenedNote(
  results: WorkspaceResult[],
  options: RenderOptions,
  kind: DocumentKind
): string {
  const what = kind === 'comment' ? 'This comment' : 'This summary'
  const sentence = escapeText(`${what} was shortened to fit GitHub's size limit; the full plan is`)
  const runs = results.filter(result => result.runUrl !== undefined)
  let where: string
  if (kind === 'comment' && options.summaryUrl !== undefined)
    where = `${escapeText('in the job summary:')} ${link(escapeText('open the job summary'), options.summaryUrl)}`
  else if (runs.length === 1)
    where = `${escapeText('in the run:')} ${link(codeSpan(clip(runs[0].runId ?? runs[0].planId)), runs[0].runUrl)}`
  else where = escapeText("in each workspace's run in HCP Terraform.")
  return block(alert('NOTE', `${sentence} ${where}`))
}

/**
 * The last resort when not even the compact form fits: the marker, the note, then one line per
 * workspace for as long as there is room. (Only a limit shorter than the marker leaves it empty.)
 */
function minimalDocument(
  results: WorkspaceResult[],
  options: RenderOptions,
  kind: DocumentKind,
  measure: Measure,
  note: string
): string {
  const fits = (text: string): boolean => measure(text) <= options.maxLength
  const start = markerChunk(options, kind).join('')
  if (!fits(start)) return ''
  let text = fits(start + note) ? start + note : start
  for (const [i, result] of results.entries()) {
    const line = `${workspaceTitle(result, options.label)} · ${strong(escapeText(result.model.summaryLine))}`
    const next = `${bullet(line)}\n`
    if (!fits(text + next)) {
      const more = `${bullet(escapeText(`and ${plural(results.length - i, 'more workspace')}`))}\n`
      return fits(text + more) ? text + more : text
    }
    text += next
  }
  return text
}
