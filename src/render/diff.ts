// Attribute diffs as Terraform's human plan shows them (internal/command/jsonformat/computed/renderers):
// `+` create, `-` destroy, `~` update, `-/+` `+/-` replace, `<=` read; `# forces replacement`,
// `(known after apply)`, `(sensitive value)`, hidden unchanged attributes, heredocs, jsonencode(...).
//
// One difference on purpose: the action symbol is moved to the start of the line, so GitHub's `diff`
// highlighting colours `+` and `-` lines; the indentation that follows keeps Terraform's nesting.
import type { JsonChange, JsonValue } from '../plan/types.js'
import type { OutputChangeModel, ResourceAction, ResourceChangeModel } from '../plan/model.js'
import { diffJsonValue, diffResourceValue, plainChange } from './value-diff.js'
import type { BlockGroup, DiffAction, ValueChange, ValueDiff } from './value-diff.js'
import { diffBlockValue } from './schema-diff.js'
import { onlyRelevant } from './relevant.js'
import { alignSequences } from './sequence.js'

interface Line {
  symbol: string
  indent: number
  text: string
}

/** A value rendered over lines: `head` continues the caller's line, `lines` follow it. */
interface Rendered {
  head: string
  lines: Line[]
}

interface RenderOptions {
  /** Whether a deleted value prints ` -> null` (Terraform's OverrideNullSuffix, inverted). */
  nullSuffix: boolean
  showUnchanged: boolean
}

/** Attributes Terraform always shows, changed or not, so a reader can tell which object it is. */
const IDENTIFYING_ATTRIBUTES = new Set(['id', 'name', 'tags'])

const SYMBOLS: Readonly<Record<DiffAction, string>> = {
  create: '+',
  delete: '-',
  update: '~',
  'no-op': ''
}

/** The diff of one resource change: `+ resource "aws_instance" "web" { ... }`. */
export function renderResourceDiff(resource: ResourceChangeModel): string {
  const relevant = resource.relevantPaths
  const change = valueChange(
    relevant ? onlyRelevant(forgetAsNoOp(resource), relevant) : forgetAsNoOp(resource)
  )
  // With its provider's schema the resource reads exactly as Terraform shows it.
  const diff =
    (resource.schema && diffBlockValue(change, resource.schema)) ?? diffResourceValue(change)
  const kind = resource.mode === 'data' ? 'data' : 'resource'
  const header = `${kind} ${quote(resource.type)} ${quote(resource.name)}`
  // Terraform shows every attribute of an imported object, since none of them is known yet.
  const body = renderBlock(diff, { nullSuffix: true, showUnchanged: !!resource.importing })
  return formatLines([
    { symbol: resourceSymbol(resource), indent: 0, text: `${header} ${body.head}` },
    ...body.lines
  ])
}

/**
 * "Changes to Outputs": one line (or block) per output, names aligned like Terraform's, to every
 * output of the plan (`allNames`), unchanged ones included.
 */
export function renderOutputsDiff(
  outputs: readonly OutputChangeModel[],
  allNames: readonly string[] = []
): string {
  const keys = outputs.map(output => attributeName(output.name))
  const width = Math.max(
    0,
    ...keys.map(key => key.length),
    ...allNames.map(name => attributeName(name).length)
  )
  const lines = outputs.flatMap((output, i) => {
    const diff = diffJsonValue(valueChange(output.change))
    const rendered = render(diff, 0, { nullSuffix: true, showUnchanged: false })
    return [
      ...warnings(diff, 0),
      {
        symbol: actionSymbol(output.action, []),
        indent: 0,
        text: `${keys[i].padEnd(width)} = ${rendered.head}`
      },
      ...rendered.lines
    ]
  })
  return formatLines(lines)
}

function valueChange(change: JsonChange): ValueChange {
  return {
    before: change.before ?? null,
    after: change.after ?? null,
    beforeExplicit: false,
    afterExplicit: false,
    unknown: change.after_unknown ?? null,
    beforeSensitive: change.before_sensitive ?? null,
    afterSensitive: change.after_sensitive ?? null,
    replacePaths: change.replace_paths ?? []
  }
}

/** Terraform shows a forget-only change as no change to the object, not as its deletion. */
function forgetAsNoOp(resource: ResourceChangeModel): JsonChange {
  const { change } = resource
  if (resource.action !== 'forget') return change
  return {
    ...change,
    after: change.before,
    after_unknown: false,
    after_sensitive: change.before_sensitive
  }
}

function resourceSymbol(resource: ResourceChangeModel): string {
  return actionSymbol(resource.action, resource.actions)
}

function actionSymbol(action: ResourceAction, actions: readonly string[]): string {
  switch (action) {
    case 'create':
      return '+'
    case 'delete':
      return '-'
    case 'update':
      return '~'
    case 'replace':
      return actions[0] === 'create' ? '+/-' : '-/+'
    case 'read':
      return '<='
    case 'forget':
      return '.'
    case 'create-forget':
      return '+/.'
    case 'no-op':
      return ''
  }
}

function formatLines(lines: readonly Line[]): string {
  return lines
    .map(line => `${line.symbol.padEnd(3)} ${'    '.repeat(line.indent)}${line.text}`.trimEnd())
    .join('\n')
}

/** A resource's top-level block: like an object, but `}` never takes ` -> null`. */
function renderBlock(diff: ValueDiff, options: RenderOptions): Rendered {
  switch (diff.kind) {
    case 'object':
      return renderObject(diff, 0, options, false)
    case 'block':
      return renderSchemaBlock(diff, 0, options)
    case 'sensitive':
      return sensitiveBlock(diff, 0)
    case 'primitive':
      // A change without before or after (as in some redacted plans) has nothing to show.
      if (diff.before === null && diff.after === null) return { head: '{}', lines: [] }
      return render(diff, 0, options)
    default:
      return render(diff, 0, options)
  }
}

function render(diff: ValueDiff, indent: number, options: RenderOptions): Rendered {
  switch (diff.kind) {
    case 'primitive':
      return typeof (diff.after ?? diff.before) === 'string'
        ? renderString(diff, indent, options)
        : single(renderScalar(diff, options))
    case 'object':
      return renderObject(diff, indent, options, true)
    case 'list':
      return renderList(diff, indent, options)
    case 'sensitive':
      return single(`(sensitive value)${nullSuffix(diff, options)}${forcesReplacement(diff)}`)
    case 'unknown': {
      if (diff.action === 'create' || diff.before === undefined)
        return single(`(known after apply)${forcesReplacement(diff)}`)
      const before = render(diff.before, indent, { ...options, nullSuffix: false })
      return append(before, ` -> (known after apply)${forcesReplacement(diff)}`)
    }
    case 'type-change': {
      const childOptions = { ...options, nullSuffix: false }
      return join(
        render(diff.before, indent, childOptions),
        ' -> ',
        render(diff.after, indent, childOptions)
      )
    }
    case 'map':
      return renderMap(diff, indent, options)
    case 'block':
      return renderSchemaBlock(diff, indent, options)
    case 'write-only': {
      const text = diff.sensitive ? '(sensitive, write-only attribute)' : '(write-only attribute)'
      return single(`${text}${nullSuffix(diff, options)}${forcesReplacement(diff)}`)
    }
  }
}

function sensitiveBlock(diff: ValueDiff, indent: number): Rendered {
  return {
    head: `{${forcesReplacement(diff)}`,
    lines: [
      {
        symbol: '',
        indent: indent + 1,
        text: '# At least one attribute in this block is (or was) sensitive,'
      },
      { symbol: '', indent: indent + 1, text: '# so its contents will not be displayed.' },
      { symbol: '', indent, text: '}' }
    ]
  }
}

/** A map's entries by quoted key; the closing `}` takes ` -> null` like any deleted value. */
function renderMap(
  diff: ValueDiff & { kind: 'map' },
  indent: number,
  options: RenderOptions
): Rendered {
  const ending = nullSuffix(diff, options)
  if (diff.entries.length === 0) return single(`{}${ending}${forcesReplacement(diff)}`)

  const keys = diff.entries.map(([key]) => quote(key))
  const width = diff.alignKeys ? Math.max(...keys.map(key => key.length)) : 0
  const entryOptions = { ...options, nullSuffix: diff.entriesShowNull }
  const lines: Line[] = []
  let unchanged = 0
  diff.entries.forEach(([, entry], i) => {
    if (entry.action === 'no-op' && !options.showUnchanged) {
      unchanged++
      return
    }
    // Terraform separates object entries with commas, and only those.
    const rendered = append(
      render(entry, indent + 1, entryOptions),
      entry.kind === 'object' ? ',' : ''
    )
    lines.push(...memberLines(entry, keys[i].padEnd(width), indent + 1, rendered))
  })
  return closeMembers(diff, lines, { unchanged, noun: 'element', indent, ending })
}

/** One `name = value` member of a map or object, after the warnings about it. */
function memberLines(member: ValueDiff, name: string, indent: number, rendered: Rendered): Line[] {
  return [
    ...warnings(member, indent),
    { symbol: SYMBOLS[member.action], indent, text: `${name} = ${rendered.head}` },
    ...rendered.lines
  ]
}

/** The end of a map or object: how many unchanged members are hidden, and the closing brace. */
function closeMembers(
  diff: ValueDiff,
  lines: Line[],
  end: { unchanged: number; noun: 'element' | 'attribute'; indent: number; ending: string }
): Rendered {
  const { unchanged, noun, indent, ending } = end
  if (unchanged > 0)
    lines.push({ symbol: '', indent: indent + 1, text: hiddenNote(noun, unchanged) })
  lines.push({ symbol: '', indent, text: `}${ending}` })
  return { head: `{${forcesReplacement(diff)}`, lines }
}

/**
 * A block of a schema: its attributes (named as in HCL, aligned), then its nested blocks by type,
 * each `name {` or `name "key" {`, with unchanged ones counted. Blank lines set blocks apart.
 */
function renderSchemaBlock(
  diff: ValueDiff & { kind: 'block' },
  indent: number,
  options: RenderOptions
): Rendered {
  if (diff.attributes.length === 0 && diff.blocks.length === 0)
    return single(`{}${forcesReplacement(diff)}`)
  const body = renderObject(
    { ...diff, kind: 'object', attributesShowNull: options.nullSuffix },
    indent,
    options,
    false
  )
  // renderObject closes the braces; blocks go before that last line.
  const lines = diff.attributes.length > 0 ? body.lines.slice(0, -1) : []
  let unchangedBlocks = 0
  for (const group of diff.blocks) {
    let first = true
    const push = (entry: { key?: string; diff: ValueDiff }, rendered: Rendered): void => {
      if (first && diff.attributes.length > 0) lines.push(BLANK)
      first = false
      const key = entry.key === undefined ? '' : ` ${quote(entry.key)}`
      lines.push(
        ...blockWarnings(entry.diff, indent + 1),
        {
          symbol: SYMBOLS[entry.diff.action],
          indent: indent + 1,
          text: `${attributeName(group.name)}${key} ${rendered.head}`
        },
        ...rendered.lines
      )
    }
    if (group.unknown)
      push(
        { diff: { kind: 'unknown', action: diff.action, replace: false } },
        single('(known after apply)')
      )
    for (const entry of group.entries) {
      if (entry.diff.action === 'no-op' && !options.showUnchanged) {
        unchangedBlocks++
        continue
      }
      push(entry, renderBlockEntry(entry.diff, group, indent + 1, options))
    }
  }
  if (unchangedBlocks > 0)
    lines.push(BLANK, {
      symbol: '',
      indent: indent + 1,
      text: hiddenNote('block', unchangedBlocks)
    })
  lines.push({ symbol: '', indent, text: '}' })
  return { head: `{${forcesReplacement(diff)}`, lines }
}

const BLANK: Line = { symbol: '', indent: 0, text: '' }

function renderBlockEntry(
  entry: ValueDiff,
  group: BlockGroup,
  indent: number,
  options: RenderOptions
): Rendered {
  // A group that forces replacement as a whole says so on each of its blocks.
  const diff = group.replace ? { ...entry, replace: true } : entry
  if (diff.kind === 'sensitive') return sensitiveBlock(diff, indent)
  return diff.kind === 'block'
    ? renderSchemaBlock(diff, indent, options)
    : render(diff, indent, options)
}

/** Terraform's warning when a nested block starts or stops being marked sensitive. */
function blockWarnings(diff: ValueDiff, indent: number): Line[] {
  if (diff.kind !== 'sensitive' || diff.beforeSensitive === diff.afterSensitive) return []
  if (diff.valueAction === 'create' || diff.valueAction === 'delete') return []
  const text = diff.beforeSensitive
    ? [
        '# Warning: this block will no longer be marked as sensitive',
        '# after applying this change.'
      ]
    : [
        '# Warning: this block will be marked as sensitive and will not',
        '# display in UI output after applying this change.'
      ]
  return text.map(line => ({ symbol: '', indent, text: line }))
}

function renderScalar(diff: ValueDiff & { kind: 'primitive' }, options: RenderOptions): string {
  const suffix = forcesReplacement(diff)
  switch (diff.action) {
    case 'create':
      return `${scalar(diff.after)}${suffix}`
    case 'delete':
      return `${scalar(diff.before)}${nullSuffix(diff, options)}${suffix}`
    case 'no-op':
      return `${scalar(diff.before)}${suffix}`
    case 'update':
      return `${scalar(diff.before)} -> ${scalar(diff.after)}${suffix}`
  }
}

/** A string as Terraform shows it: quoted, as a heredoc when multi-line, as jsonencode() when JSON. */
interface StringForm {
  text: string
  json?: JsonValue
  multiline: boolean
}

function stringForm(value: JsonValue): StringForm {
  if (typeof value !== 'string') return { text: scalar(value), multiline: false }
  if (value.startsWith('{') || value.startsWith('[')) {
    const json = parseJson(value)
    if (json !== undefined) return { text: value, json, multiline: false }
  }
  if (value.includes('\n')) return { text: value.trim(), multiline: true }
  return { text: value, multiline: false }
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    return undefined
  }
}

function renderString(
  diff: ValueDiff & { kind: 'primitive' },
  indent: number,
  options: RenderOptions
): Rendered {
  const suffix = forcesReplacement(diff)
  if (diff.action === 'create' || diff.action === 'no-op' || diff.action === 'delete') {
    const form = stringForm(diff.action === 'delete' ? diff.before : diff.after)
    if (form.json !== undefined) {
      if (diff.action === 'create') return renderJsonString(diff, indent, options, null, form.json)
      if (diff.action === 'delete') return renderJsonString(diff, indent, options, form.json, null)
      return renderJsonString(diff, indent, options, form.json, form.json)
    }
    const ending = diff.action === 'delete' ? nullSuffix(diff, options) : ''
    if (!form.multiline) return single(`${quote(form.text)}${ending}${suffix}`)
    const lines = form.text.split('\n').map(text => ({ symbol: '', indent: indent + 1, text }))
    return heredoc(suffix, lines, indent, ending)
  }

  const before = stringForm(diff.before)
  const after = stringForm(diff.after)
  if (before.json !== undefined && after.json !== undefined)
    return renderJsonString(diff, indent, options, before.json, after.json)
  if (before.json !== undefined || after.json !== undefined) {
    // One side is JSON and the other is not: show the old value, then the new one.
    const old = render({ ...diff, action: 'delete', after: null, replace: false }, indent, {
      ...options,
      nullSuffix: false
    })
    const next = render(
      { ...diff, action: 'create', before: null, replace: false },
      indent,
      options
    )
    return append(join(old, ' -> ', next), suffix)
  }
  if (!before.multiline && !after.multiline)
    return single(`${quote(before.text)} -> ${quote(after.text)}${suffix}`)

  const beforeLines = before.text.split('\n')
  const afterLines = after.text.split('\n')
  const lines = alignSequences(beforeLines, afterLines).flatMap(([b, a]): Line[] => {
    const deleted: Line = { symbol: '-', indent: indent + 1, text: beforeLines[b] }
    const created: Line = { symbol: '+', indent: indent + 1, text: afterLines[a] }
    if (b < 0) return [created]
    if (a < 0) return [deleted]
    // Texts of as many lines are compared line by line: a changed line is deleted and created.
    if (beforeLines[b] !== afterLines[a]) return [deleted, created]
    return [{ symbol: '', indent: indent + 1, text: beforeLines[b] }]
  })
  return heredoc(suffix, lines, indent, '')
}

function heredoc(suffix: string, lines: Line[], indent: number, ending: string): Rendered {
  return {
    head: `<<-EOT${suffix}`,
    lines: [...lines, { symbol: '', indent, text: `EOT${ending}` }]
  }
}

function renderJsonString(
  diff: ValueDiff & { kind: 'primitive' },
  indent: number,
  options: RenderOptions,
  before: JsonValue,
  after: JsonValue
): Rendered {
  const change = plainChange(before, after)
  const jsonDiff = diffJsonValue({
    ...change,
    beforeExplicit: before !== null,
    afterExplicit: after !== null
  })
  let whitespace = ''
  let replace = forcesReplacement(diff)
  let symbolAction: DiffAction = diff.action
  // Inside jsonencode(), only the string itself takes ` -> null`.
  const jsonOptions = { ...options, nullSuffix: false }
  if (jsonDiff.action === 'no-op' && diff.action === 'update') {
    // Only whitespace changed: the JSON diff alone would look unchanged, so show it all.
    whitespace = diff.replace ? ' # whitespace changes force replacement' : ' # whitespace changes'
    replace = ''
    jsonOptions.showUnchanged = true
    symbolAction = 'no-op'
  }
  if (diff.action === 'create' || diff.action === 'delete') symbolAction = 'no-op'
  const ending = diff.action === 'delete' ? nullSuffix(diff, options) : ''

  const rendered = render(jsonDiff, indent + 1, jsonOptions)
  if (rendered.lines.length === 0)
    return single(`jsonencode(${rendered.head})${whitespace}${replace}${ending}`)
  return {
    head: `jsonencode(${whitespace}`,
    lines: [
      { symbol: SYMBOLS[symbolAction], indent: indent + 1, text: rendered.head },
      ...append(rendered, replace).lines,
      { symbol: '', indent, text: `)${ending}` }
    ]
  }
}

function renderObject(
  diff: ValueDiff & { kind: 'object' },
  indent: number,
  options: RenderOptions,
  closingNullSuffix: boolean
): Rendered {
  const ending = closingNullSuffix ? nullSuffix(diff, options) : ''
  if (diff.attributes.length === 0) return single(`{}${ending}${forcesReplacement(diff)}`)

  const childOptions = { ...options, nullSuffix: diff.attributesShowNull }
  const names = diff.attributes.map(([key]) => attributeName(key))
  const width = Math.max(...names.map(name => name.length))
  const lines: Line[] = []
  let unchanged = 0
  diff.attributes.forEach(([key, attribute], i) => {
    const identifying = IDENTIFYING_ATTRIBUTES.has(key)
    if (!identifying && attribute.action === 'no-op' && !options.showUnchanged) {
      unchanged++
      return
    }
    const rendered = render(
      attribute,
      indent + 1,
      identifying ? { ...childOptions, showUnchanged: true } : childOptions
    )
    lines.push(...memberLines(attribute, names[i].padEnd(width), indent + 1, rendered))
  })
  return closeMembers(diff, lines, { unchanged, noun: 'attribute', indent, ending })
}

/** Lists of values show the unchanged element just before and after each change, as context. */
function renderList(
  diff: ValueDiff & { kind: 'list' },
  indent: number,
  options: RenderOptions
): Rendered {
  if (diff.elements.length === 0)
    return single(`[]${nullSuffix(diff, options)}${forcesReplacement(diff)}`)

  const elementOptions = { ...options, nullSuffix: false }
  const contextOptions = { ...options, showUnchanged: true }
  const lines: Line[] = []
  const pushElement = (element: ValueDiff, elementOptionsToUse: RenderOptions): void => {
    const rendered = append(render(element, indent + 1, elementOptionsToUse), ',')
    lines.push(
      ...warnings(element, indent + 1),
      { symbol: SYMBOLS[element.action], indent: indent + 1, text: rendered.head },
      ...rendered.lines
    )
  }

  let skipped: ValueDiff[] = []
  let showNext = false
  for (const element of diff.elements) {
    if (element.action === 'no-op' && !showNext && !options.showUnchanged) {
      skipped.push(element)
      continue
    }
    showNext = false
    if (diff.context) {
      if (skipped.length > 1)
        lines.push({
          symbol: '',
          indent: indent + 1,
          text: hiddenNote('element', skipped.length - 1)
        })
      if (skipped.length > 0) pushElement(skipped[skipped.length - 1], contextOptions)
      skipped = []
      showNext = element.action !== 'no-op'
    }
    pushElement(element, element.action === 'no-op' ? contextOptions : elementOptions)
  }
  if (skipped.length > 0)
    lines.push({ symbol: '', indent: indent + 1, text: hiddenNote('element', skipped.length) })
  lines.push({ symbol: '', indent, text: `]${nullSuffix(diff, options)}` })
  return { head: `[${forcesReplacement(diff)}`, lines }
}

/** Terraform's warning when a value starts or stops being marked sensitive. */
function warnings(diff: ValueDiff, indent: number): Line[] {
  if (diff.kind !== 'sensitive' || diff.beforeSensitive === diff.afterSensitive) return []
  if (diff.valueAction === 'create' || diff.valueAction === 'delete') return []
  const text = diff.beforeSensitive
    ? [
        '# Warning: this attribute value will no longer be marked as sensitive',
        '# after applying this change.'
      ]
    : [
        '# Warning: this attribute value will be marked as sensitive and will not',
        '# display in UI output after applying this change.'
      ]
  if (diff.valueAction === 'no-op') text[1] += ' The value is unchanged.'
  return text.map(line => ({ symbol: '', indent, text: line }))
}

function hiddenNote(noun: 'attribute' | 'element' | 'block', count: number): string {
  return `# (${count} unchanged ${noun}${count === 1 ? '' : 's'} hidden)`
}

function nullSuffix(diff: ValueDiff, options: RenderOptions): string {
  return options.nullSuffix && diff.action === 'delete' ? ' -> null' : ''
}

function forcesReplacement(diff: ValueDiff): string {
  return diff.replace ? ' # forces replacement' : ''
}

function single(head: string): Rendered {
  return { head, lines: [] }
}

function append(rendered: Rendered, text: string): Rendered {
  if (rendered.lines.length === 0) return { head: rendered.head + text, lines: [] }
  const last = rendered.lines[rendered.lines.length - 1]
  return {
    head: rendered.head,
    lines: [...rendered.lines.slice(0, -1), { ...last, text: last.text + text }]
  }
}

/** `first separator second`, where either side may span lines. */
function join(first: Rendered, separator: string, second: Rendered): Rendered {
  const joined = append(first, separator + second.head)
  return { head: joined.head, lines: [...joined.lines, ...second.lines] }
}

function scalar(value: JsonValue): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return quote(value)
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Go's %q, near enough: JSON quoting, plus escapes for characters that hide or reorder text. */
function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007F-\u009F\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\u2028\u2029\uFEFF]/g,
    char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** An attribute or map key as HCL shows it: bare when it is an identifier, else quoted. */
function attributeName(key: string): string {
  // The ASCII test answers for nearly every key, and faster than the Unicode one.
  return ASCII_IDENTIFIER.test(key) || IDENTIFIER.test(key) ? key : quote(key)
}

const ASCII_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/
const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}-]*$/u
