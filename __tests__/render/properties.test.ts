// Property tests: generated plans with random actions, nesting, hostile strings, huge values and
// planted sensitive values. Rendering never throws, never exceeds the limit, never shows a secret,
// never lets content become HTML, a mention or a reference, and stays linear in time.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { commentMarker, renderComment, renderSummary } from '../../src/render/report.js'
import type { JsonChange, JsonValue } from '../../src/plan/types.js'
import type { ResourceAction, ResourceChangeModel } from '../../src/plan/model.js'
import type { WorkspaceResult } from '../../src/result.js'
import { model, output, resource, workspaceResult } from '../fixtures/render-fixtures.js'
import { expectWellFormed, proseOf, visibleText } from './checks.js'
import { RESOURCE_ACTIONS } from '../../src/plan/model.js'

const HOSTILE_PIECES = [
  '<img src=x onerror=alert(1)>',
  '</details>',
  '<summary>',
  '```',
  '````diff',
  '`',
  '|',
  '@octocat',
  '#123',
  'GH-7',
  '<!--',
  '-->',
  '<!-- tfc-plan-summary:prod: -->',
  ']]>',
  '\r',
  '\n',
  '\u0000',
  '\u202E',
  '[x](javascript:alert(1))',
  'https://evil.example',
  'www.evil.example',
  '😀',
  '\uD800',
  '* ',
  '- ',
  '> ',
  '    ',
  '_',
  '&amp;',
  '{"a":[1,{"b":"c"}]}',
  'line one\nline two'
]

const hostileString = fc
  .array(
    fc.oneof(
      fc.constantFrom(...HOSTILE_PIECES),
      fc.string({ maxLength: 8 }),
      fc.string({ unit: 'binary', maxLength: 4 })
    ),
    {
      maxLength: 6
    }
  )
  .map(parts => parts.join(''))

/** A value tree; `secret` leaves are replaced by planted secrets and marked in the mirror. */
type Shape =
  | { kind: 'leaf'; value: JsonValue; secret: boolean }
  | { kind: 'object'; entries: [string, Shape][] }
  | { kind: 'list'; items: Shape[] }

const shape: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>(tie => ({
  shape: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('leaf' as const),
      value: fc.oneof(
        hostileString,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constantFrom('x'.repeat(5000), 'a\nb\nc\n', '{"k":"v"}')
      ),
      secret: fc.boolean()
    }),
    fc.record({
      kind: fc.constant('object' as const),
      entries: fc.array(fc.tuple(hostileString, tie('shape')), { maxLength: 4 })
    }),
    fc.record({
      kind: fc.constant('list' as const),
      items: fc.array(tie('shape'), { maxLength: 4 })
    })
  )
})).shape

let secretCount = 0
/** Secrets are letters and digits only, so any leak would appear verbatim. */
function plantSecret(secrets: string[], style: number): string {
  const secret = `zqx${++secretCount}secret${Math.floor(Math.random() * 1e9)}`
  secrets.push(secret)
  // Plain, inside a JSON string and inside a multi-line string: every way a value can be shown.
  return [secret, `{"token":"${secret}"}`, `first line\n${secret}\n`][style % 3]
}

/** The value and its sensitive mirror for a shape. */
function realize(s: Shape, secrets: string[]): { value: JsonValue; mirror: JsonValue } {
  switch (s.kind) {
    case 'leaf':
      return s.secret
        ? { value: plantSecret(secrets, secrets.length), mirror: true }
        : { value: s.value, mirror: false }
    case 'object': {
      const value: Record<string, JsonValue> = {}
      const mirror: Record<string, JsonValue> = {}
      for (const [key, child] of s.entries) {
        const realized = realize(child, secrets)
        value[key] = realized.value
        mirror[key] = realized.mirror
      }
      return { value, mirror }
    }
    case 'list': {
      const realized = s.items.map(item => realize(item, secrets))
      return { value: realized.map(r => r.value), mirror: realized.map(r => r.mirror) }
    }
  }
}

const ACTIONS = RESOURCE_ACTIONS

interface GeneratedResource {
  action: ResourceAction
  address: string
  before: Shape
  after: Shape
  wholeSecret: boolean
}

const generatedResource: fc.Arbitrary<GeneratedResource> = fc.record({
  action: fc.constantFrom(...ACTIONS),
  address: hostileString,
  before: shape,
  after: shape,
  wholeSecret: fc.boolean()
})

function buildResource(g: GeneratedResource, secrets: string[]): ResourceChangeModel {
  const before = realize({ kind: 'object', entries: [['attr', g.before]] }, secrets)
  const after = realize({ kind: 'object', entries: [['attr', g.after]] }, secrets)
  let change: Partial<JsonChange> = {
    before: g.action === 'create' ? null : before.value,
    after: g.action === 'delete' ? null : after.value,
    before_sensitive: before.mirror,
    after_sensitive: after.mirror,
    replace_paths: [['attr']]
  }
  if (g.wholeSecret) {
    const secret = plantSecret(secrets, 0)
    change = {
      ...change,
      before: { whole: secret },
      after: { whole: secret, more: 1 },
      before_sensitive: true,
      after_sensitive: true
    }
  }
  const extra: Partial<ResourceChangeModel> = {
    name: g.address,
    ...(g.action === 'no-op' ? { previousAddress: g.address } : {})
  }
  const built = resource(g.action, change, extra)
  return { ...built, address: `aws_instance.${g.address}` }
}

interface GeneratedPlan {
  resources: GeneratedResource[]
  drift: GeneratedResource[]
  name: string
  label: string
  warning: string
  diagnostic: string
  details: boolean
  maxLength: number
}

const generatedPlan: fc.Arbitrary<GeneratedPlan> = fc.record({
  resources: fc.array(generatedResource, { maxLength: 12 }),
  drift: fc.array(generatedResource, { maxLength: 2 }),
  name: hostileString,
  label: hostileString,
  warning: hostileString,
  diagnostic: hostileString,
  details: fc.boolean(),
  maxLength: fc.integer({ min: 2_000, max: 70_000 })
})

function buildResult(g: GeneratedPlan, secrets: string[]): WorkspaceResult {
  const resources = g.resources.map(r => buildResource(r, secrets))
  const outputSecret = plantSecret(secrets, 0)
  return workspaceResult({
    workspace: g.name,
    organization: g.label,
    status: g.diagnostic.length % 2 ? 'errored' : 'finished',
    warnings: [g.warning],
    diagnostics: [
      {
        severity: 'error',
        summary: g.diagnostic,
        detail: g.warning,
        filename: g.name,
        line: 1,
        snippet: { code: g.diagnostic, startLine: 1 }
      }
    ],
    logTail: [g.warning, g.diagnostic],
    gates: [{ condition: 'protect', message: g.warning, addresses: resources.map(r => r.address) }],
    model: model({
      resources,
      drift: g.drift.map(r => buildResource(r, secrets)),
      deferred: resources.slice(0, 1).map(r => ({ reason: g.label, resource: r })),
      failedChecks: [{ address: g.name, status: 'fail', problems: [g.warning] }],
      outputs: [
        output(g.name || 'out', 'update', {
          before: outputSecret,
          after: outputSecret + 'x',
          before_sensitive: true,
          after_sensitive: true
        })
      ]
    })
  })
}

/** Tags the renderers write themselves; content can add no other. */
const OWN_TAGS =
  /^<(\/?(details|summary|b|i|code|a)( open| href="[^"<>]*")?|br|!-- tfc-plan-summary:)/

function expectSafe(markdown: string, secrets: string[]): void {
  for (const secret of secrets) expect(markdown).not.toContain(secret)
  expectWellFormed(markdown)
  const prose = proseOf(markdown)
  for (const match of prose.matchAll(/</g)) {
    expect(prose.slice(match.index, match.index + 40)).toMatch(OWN_TAGS)
  }
  const shown = visibleText(prose.replace(/<!--[^>]*-->/, ''))
  expect(shown).not.toMatch(/@[A-Za-z0-9]/)
  expect(shown).not.toMatch(/#\d/)
  expect(shown).not.toMatch(/:\/\//)
}

describe('rendering generated plans', () => {
  it('never throws, fits the limit, and leaks no secret, HTML, mention or reference', () => {
    fc.assert(
      fc.property(fc.array(generatedPlan, { minLength: 1, maxLength: 3 }), plans => {
        const secrets: string[] = []
        const results = plans.map(plan => buildResult(plan, secrets))
        const marker = commentMarker(plans[0].name, plans[0].label)
        const options = {
          marker,
          details: plans[0].details,
          label: plans[0].label,
          maxLength: plans[0].maxLength
        }
        const comment = renderComment(results, options)
        expect(comment.length).toBeLessThanOrEqual(options.maxLength)
        expect(comment.startsWith(marker)).toBe(true)
        expect(comment.split('<!--')).toHaveLength(2)
        expectSafe(comment, secrets)

        const summary = renderSummary(results, { ...options, maxLength: 1_000_000 })
        expect(new TextEncoder().encode(summary).length).toBeLessThanOrEqual(1_000_000)
        expect(summary).not.toContain('<!--')
        expectSafe(summary, secrets)
      }),
      { numRuns: 150 }
    )
  })
})

describe('rendering time', () => {
  const plan = (n: number): WorkspaceResult =>
    workspaceResult({
      model: model({
        resources: Array.from({ length: n }, (_, i) =>
          resource(
            ACTIONS[i % 4],
            {
              before:
                i % 4 === 0
                  ? null
                  : {
                      id: `i-${i}`,
                      list: Array.from({ length: 20 }, (_, j) => `v${j}`),
                      text: 'a\nb\nc\n'
                    },
              after:
                i % 4 === 2
                  ? null
                  : {
                      id: `i-${i}`,
                      list: Array.from({ length: 20 }, (_, j) => `w${j % 3}`),
                      text: 'a\nc\nd\n'
                    }
            },
            { name: `r${i}` }
          )
        )
      })
    })

  // CPU time of this process, not wall time: other processes sharing the cores do not count.
  const time = (result: WorkspaceResult): number => {
    const start = process.cpuUsage()
    renderComment([result], { details: true, maxLength: 65536 })
    renderSummary([result], { details: true, maxLength: 1_000_000 })
    const used = process.cpuUsage(start)
    return used.user + used.system
  }

  // 16× the resources: linear work takes ~16× as long, quadratic ~256×. The bound leaves 4× room
  // both ways: for noise (garbage collection, caches, other test workers) and for catching
  // quadratic behaviour.
  it('grows linearly with the number of resources', () => {
    const small = plan(200)
    const large = plan(3200)
    time(small) // warm up
    const best = (result: WorkspaceResult): number =>
      Math.min(...Array.from({ length: 5 }, () => time(result)))
    expect(best(large)).toBeLessThan(64 * best(small))
  })
})
