// Fuzzing the plan reader, the plan model and the renderers with mutated corpus plans: every JSON
// plan Terraform wrote for the corpus, with keys dropped, types swapped, hostile and huge strings,
// deep nesting, random action lists and nulls, then secrets planted and marked sensitive. Reading
// either succeeds or fails with a PlanParseError (both readers agree), and rendering never throws,
// stays within GitHub's limits, never shows a secret and stays fast.
import { afterAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  KEPT_KEYS,
  PlanParseError,
  parseJsonPlan,
  streamJsonPlanFile
} from '../../src/plan/parse.js'
import { RESOURCE_ACTIONS, buildPlanModel } from '../../src/plan/model.js'
import type { PlanModel } from '../../src/plan/model.js'
import type { JsonPlan } from '../../src/plan/types.js'
import { commentMarker, renderComment, renderSummary } from '../../src/render/report.js'
import { evaluateGates } from '../../src/gates/evaluate.js'
import { buildOutputs } from '../../src/publish/outputs.js'
import type { WorkspaceResult } from '../../src/result.js'
import { equivalenceCases, jsonPlanFiles } from './plan-corpus.js'

const COMMENT_LIMIT = 65_536
const SUMMARY_LIMIT = 1_000_000
/** Per plan, reading to rendering both documents: generous for a shared CI machine. */
const TIME_BOUND_MS = 10_000
const RUNS = Number(process.env.FUZZ_RUNS ?? 300)

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Segment = string | number

interface CorpusPlan {
  name: string
  text: string
  /** Undefined for the corpus's deliberately invalid file. */
  tree: Json | undefined
}

const corpus: CorpusPlan[] = [
  ...equivalenceCases().map(c => ({ name: `equivalence/${c.name}`, file: c.jsonPath })),
  ...jsonPlanFiles().map(file => ({
    name: `${path.basename(path.dirname(file))}/${path.basename(file)}`,
    file
  }))
].map(({ name, file }) => {
  const text = readFileSync(file, 'utf8')
  let tree: Json | undefined
  try {
    tree = JSON.parse(text) as Json
  } catch {
    tree = undefined
  }
  return { name, text, tree }
})
const trees = corpus.filter(plan => plan.tree !== undefined)

// ---------------------------------------------------------------------------------------------
// Mutations of the parsed plan

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '</details></summary>',
  '`',
  '```',
  '````diff',
  '|',
  '| --- |',
  '@someone',
  '#123',
  'GH-42',
  '<!-- tfc-plan-summary:network: -->',
  '<!--',
  '-->',
  '\r\n',
  '\n',
  '\t',
  '\u0000',
  '\u001b[31m',
  '\u202E',
  '\uFEFF',
  '\uD800',
  '😀',
  '[x](javascript:alert(1))',
  'https://evil.example/?a=1',
  'www.evil.example',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '${var.x}',
  '%{ if true }',
  '{"a":[1,{"b":"c"}]}',
  '[1,2',
  '    indented',
  '- ',
  '1. ',
  '> '
]

/** Names Terraform uses in the places the model and renderer switch on, plus prototype keys. */
const ACTION_WORDS = [
  'no-op',
  'create',
  'read',
  'update',
  'delete',
  'forget',
  'import',
  'move',
  'constructor',
  'toString',
  '__proto__',
  'valueOf',
  ''
]

const hostileString = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 })), {
    minLength: 1,
    maxLength: 5
  })
  .map(parts => parts.join(''))

const anyJson: fc.Arbitrary<Json> = fc.oneof(
  hostileString,
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([] as Json[]),
  fc.constant({} as Json),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), {
    maxKeys: 3
  })
)

type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'null'; at: number }
  | { kind: 'swap'; at: number; value: Json }
  | { kind: 'hostile'; at: number; text: string; asKey: boolean }
  | { kind: 'huge'; at: number; length: number; newlines: boolean }
  | { kind: 'nest'; at: number; depth: number; array: boolean }
  | { kind: 'nestEverywhere'; depth: number }
  | { kind: 'actions'; at: number; actions: Json[] }

const at = fc.nat()
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at }),
  fc.record({ kind: fc.constant('null' as const), at }),
  fc.record({ kind: fc.constant('swap' as const), at, value: anyJson }),
  fc.record({
    kind: fc.constant('hostile' as const),
    at,
    text: hostileString,
    asKey: fc.boolean()
  }),
  fc.record({
    kind: fc.constant('huge' as const),
    at,
    length: fc.integer({ min: 10_000, max: 2_000_000 }),
    newlines: fc.boolean()
  }),
  fc.record({
    kind: fc.constant('nest' as const),
    at,
    depth: fc.oneof(fc.integer({ min: 2, max: 200 }), fc.integer({ min: 1_000, max: 100_000 })),
    array: fc.boolean()
  }),
  fc.record({
    kind: fc.constant('nestEverywhere' as const),
    depth: fc.constantFrom(150, 1_000, 3_000, 4_500, 20_000)
  }),
  fc.record({
    kind: fc.constant('actions' as const),
    at,
    actions: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...ACTION_WORDS) },
        { weight: 1, arbitrary: anyJson }
      ),
      { maxLength: 4 }
    )
  })
)

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Paths to every node under the keys the reader keeps (and the top-level keys themselves). */
function pathsOf(root: Json): Segment[][] {
  const found: Segment[][] = [[]]
  const visit = (node: Json, trail: Segment[]): void => {
    const children: [Segment, Json][] = Array.isArray(node)
      ? node.map((child, i) => [i, child])
      : isObject(node)
        ? Object.entries(node)
        : []
    for (const [key, child] of children) {
      if (trail.length === 0 && !KEPT_KEYS.has(String(key))) continue
      const next = [...trail, key]
      found.push(next)
      visit(child, next)
    }
  }
  visit(root, [])
  return found
}

function get(root: Json, trail: Segment[]): Json | undefined {
  let node: Json | undefined = root
  for (const key of trail) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key]
    else if (isObject(node) && typeof key === 'string') node = node[key]
    else return undefined
  }
  return node
}

/** Own data property, even for `__proto__` (as JSON.parse makes it). */
function put(target: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true
  })
}

/** Deeply nested values are spliced into the text afterwards: JSON.stringify would overflow. */
interface Splice {
  token: string
  text: string
}

/** A placeholder for a value nested `depth` levels deep, spliced in by `serialize`. */
function nested(depth: number, array: boolean, splices: Splice[]): string {
  const token = `\u0000nest${splices.length}\u0000`
  const [open, close] = array ? ['[', ']'] : ['{"k":', '}']
  splices.push({
    token: JSON.stringify(token),
    text: `${open.repeat(depth)}"deep"${close.repeat(depth)}`
  })
  return token
}

function applyMutation(root: Json, m: Mutation, splices: Splice[]): Json {
  if (m.kind === 'nestEverywhere') {
    // Every change at once: one deep value is cheap, a plan full of them must be too.
    for (const change of changeObjects(root)) put(change, 'after', nested(m.depth, true, splices))
    return root
  }
  const paths = m.kind === 'actions' ? actionPaths(root) : pathsOf(root)
  if (paths.length === 0) return root
  const trail = paths[m.at % paths.length]
  const replacement = ((): Json | undefined => {
    const current = get(root, trail)
    switch (m.kind) {
      case 'drop':
        return undefined
      case 'null':
        return null
      case 'swap':
      case 'actions':
        // A copy: fast-check reuses generated values, and later steps write into the tree.
        return structuredClone(m.kind === 'swap' ? m.value : m.actions)
      case 'hostile':
        if (m.asKey && isObject(current)) {
          put(current, m.text, m.text)
          return current
        }
        return m.text
      case 'huge': {
        const unit = m.newlines ? 'line <b>|`@x #1\n' : `${'x'.repeat(63)}|`
        return unit.repeat(Math.ceil(m.length / unit.length)).slice(0, m.length)
      }
      case 'nest':
        return nested(m.depth, m.array, splices)
    }
  })()
  if (trail.length === 0) return replacement === undefined ? {} : replacement
  const parent = get(root, trail.slice(0, -1))
  const key = trail[trail.length - 1]
  if (Array.isArray(parent) && typeof key === 'number') {
    if (replacement === undefined) parent.splice(key, 1)
    else parent[key] = replacement
  } else if (isObject(parent) && typeof key === 'string') {
    if (replacement === undefined) delete parent[key]
    else put(parent, key, replacement)
  }
  return root
}

/** `actions` lists of resource and output changes: where random action arrays go. */
function actionPaths(root: Json): Segment[][] {
  return pathsOf(root).filter(trail => trail[trail.length - 1] === 'actions')
}

// ---------------------------------------------------------------------------------------------
// Secrets, planted after the mutations so that their sensitive marks stay

type Plant = { style: number; target: number; side: 'before' | 'after' }

const plant: fc.Arbitrary<Plant> = fc.record({
  style: fc.nat({ max: 6 }),
  target: fc.nat(),
  side: fc.constantFrom('before' as const, 'after' as const)
})

let secretSerial = 0
function newSecret(): string {
  secretSerial++
  const random = Math.floor(Math.random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0')
  return `Qz${secretSerial.toString(36)}s3cr3t${random}`
}

/** Every resource change object the reader would pass on to the model. */
function changeObjects(root: Json): { [key: string]: Json }[] {
  if (!isObject(root)) return []
  const list = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : [])
  const resources = [
    ...list(root.resource_changes),
    ...list(root.resource_drift),
    ...list(root.deferred_changes).map(d => (isObject(d) ? d.resource_change : null))
  ].flatMap(r => (isObject(r) && isObject(r.change) ? [r.change] : []))
  const outputs = isObject(root.output_changes)
    ? Object.values(root.output_changes).filter(isObject)
    : []
  return [...resources, ...outputs]
}

/**
 * Puts a secret into a change's before or after and marks it sensitive there, in one of the ways
 * Terraform does: the whole value, one attribute, a list element, a JSON string, a map key.
 */
function plantSecret(root: Json, p: Plant, secrets: string[]): void {
  const changes = changeObjects(root)
  if (changes.length === 0) return
  const change = changes[p.target % changes.length]
  const secret = newSecret()
  secrets.push(secret)
  const valueKey = p.side
  const markKey = `${p.side}_sensitive`
  const value = change[valueKey]
  const mark = change[markKey]
  const object = isObject(value) ? value : {}
  // Secrets planted before in this value keep their marks.
  const marks = mark === true ? {} : isObject(mark) && isObject(value) ? mark : {}
  switch (p.style) {
    case 0: // the whole value
      put(change, valueKey, secret)
      put(change, markKey, true)
      return
    case 1: // the whole value, the secret inside an object
      put(change, valueKey, { ...object, password: secret })
      put(change, markKey, true)
      return
    case 2: // a map key of a wholly sensitive value
      put(change, valueKey, { [secret]: 'v' })
      put(change, markKey, true)
      return
    case 3: // one attribute
      put(object, 'password', secret)
      put(marks, 'password', true)
      break
    case 4: // one element of a list attribute
      put(object, 'list', ['public', secret, 'public'])
      put(marks, 'list', [false, true, false])
      break
    case 5: // a JSON string attribute
      put(object, 'policy', JSON.stringify({ Statement: [{ Sid: secret }] }))
      put(marks, 'policy', true)
      break
    default: // a multi-line string attribute
      put(object, 'script', `#!/bin/sh\nexport TOKEN=${secret}\necho done\n`)
      put(marks, 'script', true)
  }
  put(change, valueKey, object)
  if (mark !== true) put(change, markKey, marks)
}

/** A secret shown in part is still shown: look for every 10-character piece of it. */
function leakedSecrets(text: string, secrets: string[]): string[] {
  return secrets.filter(secret => {
    for (let i = 0; i + 10 <= secret.length; i++) {
      if (text.includes(secret.slice(i, i + 10))) return true
    }
    return false
  })
}

// ---------------------------------------------------------------------------------------------
// Text-level damage: what a proxy or a broken download does to the bytes

type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'trailing'; text: string }
  | { kind: 'bom' }

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({
    kind: fc.constant('insert' as const),
    at,
    text: fc.oneof(fc.constantFrom('{', '}', '"', ',', '\\', '\u0000', 'NaN', ']'), fc.string())
  }),
  fc.record({
    kind: fc.constant('trailing' as const),
    text: fc.constantFrom('x', '{}', ',', '<html>')
  }),
  fc.record({ kind: fc.constant('bom' as const) })
)

function applyDamage(text: string, d: Damage): string {
  switch (d.kind) {
    case 'truncate':
      return text.slice(0, d.at % Math.max(1, text.length))
    case 'insert': {
      const i = d.at % (text.length + 1)
      return text.slice(0, i) + d.text + text.slice(i)
    }
    case 'trailing':
      return text + d.text
    case 'bom':
      return `\uFEFF${text}`
  }
}

// ---------------------------------------------------------------------------------------------
// The checks

const workDir = mkdtempSync(path.join(tmpdir(), 'tfc-plan-fuzz-'))
let fileSerial = 0

interface Figures {
  cases: number
  /** Rejected with a PlanParseError, by the reader or the model. */
  rejected: number
  rendered: number
  slowestMs: number
}
const figures = new Map<string, Figures>()
const largest = { commentLength: 0, summaryBytes: 0 }

function tally(property: string): Figures {
  const found = figures.get(property) ?? { cases: 0, rejected: 0, rendered: 0, slowestMs: 0 }
  figures.set(property, found)
  return found
}

/** Both readers: the same plan, or both a PlanParseError. */
async function readBothWays(text: string): Promise<JsonPlan | PlanParseError> {
  const inMemory = attempt(() => parseJsonPlan(text))
  const file = path.join(workDir, `plan-${++fileSerial}.json`)
  writeFileSync(file, text)
  let streamed: JsonPlan | PlanParseError
  try {
    streamed = await streamJsonPlanFile(file)
  } catch (error) {
    streamed = expectParseError(error)
  } finally {
    rmSync(file, { force: true })
  }
  if (inMemory instanceof PlanParseError) expect(streamed).toBeInstanceOf(PlanParseError)
  else expect(sameJson(streamed, inMemory)).toBe(true)
  return inMemory
}

/** Deep equality without recursion: the values may be nested 100,000 levels deep. */
function sameJson(a: unknown, b: unknown): boolean {
  const pending: [unknown, unknown][] = [[a, b]]
  while (pending.length > 0) {
    const [x, y] = pending.pop() as [unknown, unknown]
    if (x === y) continue
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false
    if (Array.isArray(x) !== Array.isArray(y)) return false
    const xKeys = Object.keys(x)
    const yKeys = Object.keys(y)
    if (xKeys.length !== yKeys.length) return false
    for (const key of xKeys) {
      if (!Object.hasOwn(y, key)) return false
      pending.push([(x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]])
    }
  }
  return true
}

function attempt(read: () => JsonPlan): JsonPlan | PlanParseError {
  try {
    return read()
  } catch (error) {
    return expectParseError(error)
  }
}

/** A clear error a user can read, not an internal crash. */
function expectParseError(error: unknown): PlanParseError {
  if (!(error instanceof PlanParseError)) {
    throw new Error(`expected a PlanParseError, got ${String(error)}`, { cause: error })
  }
  expect(error.message.length).toBeGreaterThan(0)
  expect(error.message.length).toBeLessThan(1000)
  return error
}

/** The model, whose every action is one of the model's own, or a PlanParseError. */
function model(plan: JsonPlan): PlanModel | PlanParseError {
  const source = plan.plan_format_version !== undefined ? 'redacted-json' : 'json'
  let built: PlanModel
  try {
    built = buildPlanModel(plan, source)
  } catch (error) {
    return expectParseError(error)
  }
  const changes = [...built.resources, ...built.drift, ...built.outputs]
  const actions = [...changes, ...built.deferred.map(d => d.resource)].map(c => c.action)
  expect(actions.filter(action => !RESOURCE_ACTIONS.includes(action))).toEqual([])
  return built
}

function workspaceResult(planModel: PlanModel, status: string, name: string): WorkspaceResult {
  return {
    hostname: 'app.terraform.io',
    runId: 'run-FuzzFuzzFuzzFuzz',
    planId: 'plan-FuzzFuzzFuzzFuz',
    organization: 'acme',
    workspace: name,
    runUrl: 'https://app.terraform.io/app/acme/fuzz/runs/run-FuzzFuzzFuzzFuzz',
    status,
    model: planModel,
    diagnostics: [],
    gates: evaluateGates(planModel, status, ['errored', 'destroy', 'replace'], ['*']),
    warnings: []
  }
}

/** Renders both documents and the outputs; returns how long it took. */
function renderAll(results: WorkspaceResult[], details: boolean, secrets: string[]): number {
  const started = performance.now()
  const marker = commentMarker('fuzz', '')
  const comment = renderComment(results, { marker, details, maxLength: COMMENT_LIMIT })
  const summary = renderSummary(results, { details, maxLength: SUMMARY_LIMIT })
  const outputs = JSON.stringify(buildOutputs(results))
  const elapsed = performance.now() - started

  expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT)
  expect(comment.startsWith(marker)).toBe(true)
  expect(Buffer.byteLength(summary, 'utf8')).toBeLessThanOrEqual(SUMMARY_LIMIT)
  expect(leakedSecrets(comment, secrets)).toEqual([])
  expect(leakedSecrets(summary, secrets)).toEqual([])
  expect(leakedSecrets(outputs, secrets)).toEqual([])
  largest.commentLength = Math.max(largest.commentLength, comment.length)
  largest.summaryBytes = Math.max(largest.summaryBytes, Buffer.byteLength(summary, 'utf8'))
  return elapsed
}

/**
 * The action's path for one plan file: read (both readers), model, gate, render. Counts the case
 * under `property`; a PlanParseError is an accepted outcome, any other error fails the property.
 */
async function readModelRender(
  property: string,
  text: string,
  secrets: string[],
  options: { name: string; status: string; details: boolean }
): Promise<void> {
  const stats = tally(property)
  stats.cases++
  const started = performance.now()
  const plan = await readBothWays(text)
  const planModel = plan instanceof PlanParseError ? plan : model(plan)
  if (planModel instanceof PlanParseError) {
    stats.rejected++
    expect(leakedSecrets(planModel.message, secrets)).toEqual([])
    return
  }
  renderAll([workspaceResult(planModel, options.status, options.name)], options.details, secrets)
  stats.rendered++
  const elapsed = performance.now() - started
  stats.slowestMs = Math.max(stats.slowestMs, elapsed)
  expect(elapsed).toBeLessThan(TIME_BOUND_MS)
}

function serialize(tree: Json, splices: Splice[]): string {
  let text = JSON.stringify(tree)
  for (const { token, text: nested } of splices) text = text.split(token).join(nested)
  return text
}

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true })
  const rows = [...figures].map(
    ([property, f]) =>
      `| ${property} | ${f.cases} | ${f.rejected} | ${f.rendered} | ${f.slowestMs.toFixed(0)} ms |`
  )
  // eslint-disable-next-line no-console -- the fuzz figures belong in the test output
  console.log(
    [
      `Fuzzed ${trees.length} corpus plans (+ ${corpus.length - trees.length} invalid one for text damage), ${RUNS} runs per property:`,
      '| property | cases | PlanParseError | rendered | slowest |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...rows,
      `Longest comment ${largest.commentLength} UTF-16 units (limit ${COMMENT_LIMIT}); ` +
        `largest summary ${largest.summaryBytes} bytes (limit ${SUMMARY_LIMIT}).`
    ].join('\n')
  )
})

describe('mutated corpus plans', () => {
  it('finds the corpus', () => {
    expect(trees.length).toBeGreaterThanOrEqual(80)
  })

  it('are read, modelled and rendered, or rejected with a PlanParseError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: trees.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.array(plant, { maxLength: 4 }),
        fc.boolean(),
        fc.constantFrom('finished', 'errored', 'planned_and_finished', 'constructor'),
        async (index, mutations, plants, details, status) => {
          const splices: Splice[] = []
          const tree = structuredClone(trees[index].tree) as Json
          const mutated = mutations.reduce((root, m) => applyMutation(root, m, splices), tree)
          const secrets: string[] = []
          for (const p of plants) plantSecret(mutated, p, secrets)
          await readModelRender('mutated plans', serialize(mutated, splices), secrets, {
            name: trees[index].name,
            status,
            details
          })
        }
      ),
      { numRuns: RUNS }
    )
  }, 600_000)

  it('combine into one document for several workspaces', async () => {
    await fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat({ max: trees.length - 1 }),
            fc.array(mutation, { maxLength: 3 }),
            fc.array(plant, { maxLength: 2 })
          ),
          { minLength: 2, maxLength: 4 }
        ),
        fc.boolean(),
        (workspaces, details) => {
          const stats = tally('several workspaces in one document')
          stats.cases++
          const secrets: string[] = []
          const results: WorkspaceResult[] = []
          for (const [index, mutations, plants] of workspaces) {
            const splices: Splice[] = []
            const tree = structuredClone(trees[index].tree) as Json
            const mutated = mutations.reduce((root, m) => applyMutation(root, m, splices), tree)
            for (const p of plants) plantSecret(mutated, p, secrets)
            const plan = attempt(() => parseJsonPlan(serialize(mutated, splices)))
            const planModel = plan instanceof PlanParseError ? plan : model(plan)
            if (planModel instanceof PlanParseError) stats.rejected++
            else results.push(workspaceResult(planModel, 'finished', trees[index].name))
          }
          const elapsed = renderAll(results, details, secrets)
          stats.rendered++
          stats.slowestMs = Math.max(stats.slowestMs, elapsed)
          expect(elapsed).toBeLessThan(TIME_BOUND_MS)
        }
      ),
      { numRuns: Math.ceil(RUNS / 3) }
    )
  }, 600_000)

  it('damaged on the way (cut short, bytes inserted) are rejected with a PlanParseError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: corpus.length - 1 }),
        fc.array(damage, { minLength: 1, maxLength: 3 }),
        async (index, damages) => {
          // Some damage leaves valid JSON (a BOM, an insert inside a string): that must render.
          const text = damages.reduce(applyDamage, corpus[index].text)
          await readModelRender('damaged text', text, [], {
            name: corpus[index].name,
            status: 'finished',
            details: true
          })
        }
      ),
      { numRuns: RUNS }
    )
  }, 600_000)
})
