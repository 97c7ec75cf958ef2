import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import {
  NATIVE_PARSE_MAX_BYTES,
  parseJsonPlan,
  PlanParseError,
  readJsonPlanFile,
  streamJsonPlanFile
} from '../../src/plan/parse.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/plans')
const fixtureNames = fs.readdirSync(FIXTURES).filter(name => name.endsWith('.json'))

/** The reader's chunk is 1 MiB: content placed around this offset straddles a chunk boundary. */
const CHUNK = 1 << 20

let dir: string
let fileCount = 0
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parse-test-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

function writeTemp(content: string | Buffer): string {
  const file = path.join(dir, `plan-${fileCount++}.json`)
  fs.writeFileSync(file, content)
  return file
}

/** The streaming reader on `content`; readJsonPlanFile would parse a file this small natively. */
async function readText(content: string | Buffer): Promise<unknown> {
  return streamJsonPlanFile(writeTemp(content))
}

/** Both readers on the same text: their results, or their PlanParseErrors. */
async function bothReaders(text: string): Promise<[unknown, unknown]> {
  const settle = async (read: () => unknown): Promise<unknown> => {
    try {
      return await read()
    } catch (error) {
      if (!(error instanceof PlanParseError)) throw error
      return error
    }
  }
  // The file holds UTF-8, so the text is compared as it reads back (a lone surrogate cannot).
  const asStored = Buffer.from(text).toString('utf8')
  return [await settle(() => parseJsonPlan(asStored)), await settle(() => readText(text))]
}

const rc = (address: string, actions: string[] = ['create']): object => ({
  address,
  mode: 'managed',
  type: 'null_resource',
  name: 'x',
  change: { actions, before: null, after: { id: 'é日本😀' } }
})

describe('parseJsonPlan', () => {
  it('keeps only the keys the action reads', () => {
    const plan = parseJsonPlan(fs.readFileSync(path.join(FIXTURES, 'mixed.json'), 'utf8'))
    expect(Object.keys(plan).sort()).toEqual([
      'applyable',
      'checks',
      'complete',
      'deferred_changes',
      'errored',
      'format_version',
      'output_changes',
      'relevant_attributes',
      'resource_changes',
      'resource_drift',
      'terraform_version',
      'timestamp'
    ])
    expect(plan.resource_changes?.map(change => change.address)).toContain('aws_db_instance.main')
  })

  it('reads the json-output-redacted shape, with the provider schemas the diffs are read by', () => {
    const plan = parseJsonPlan(fs.readFileSync(path.join(FIXTURES, 'redacted.json'), 'utf8'))
    expect(plan.plan_format_version).toBe('1.2')
    expect(Object.keys(plan.provider_schemas ?? {})).toEqual([
      'registry.terraform.io/hashicorp/aws'
    ])
    expect(plan.resource_drift).toHaveLength(1)
  })

  it('reads a plan whose provider_schemas is not an object without them', () => {
    const plan = parseJsonPlan(JSON.stringify({ plan_format_version: '1.2', provider_schemas: [] }))
    expect(plan).not.toHaveProperty('provider_schemas')
  })

  it('accepts a byte order mark and treats null collections as absent', () => {
    const plan = parseJsonPlan('\uFEFF{"format_version":"1.2","resource_changes":null}')
    expect(plan).toEqual({ format_version: '1.2' })
  })

  it.each([
    ['{"format_version": "1.2",}', /not valid JSON: .* at byte 25$/],
    ['{"format_version": "1.2"', /not valid JSON/],
    ['', /empty/],
    ['  \n', /empty/],
    ['{}', /not a Terraform plan \(no format_version, plan_format_version or resource_changes\)/],
    ['[]', /not a Terraform plan \(the top level is an array, not an object\)/],
    ['"plan"', /not a Terraform plan \(the top level is a string, not an object\)/],
    ['null', /not a Terraform plan \(the top level is null, not an object\)/]
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseJsonPlan(text)).toThrow(PlanParseError)
    expect(() => parseJsonPlan(text)).toThrow(message)
  })

  it('reports the byte offset, not the character offset, of a syntax error', () => {
    const text = '{"format_version":"ééé" x}'
    const error = catchError(() => parseJsonPlan(text))
    expect(error.byteOffset).toBe(Buffer.byteLength('{"format_version":"ééé" '))
  })

  it.each([
    [{ resource_changes: {} }, 'resource_changes is not a list'],
    [{ resource_changes: [rc('a'), 7] }, 'resource_changes[1] is not an object'],
    [{ resource_changes: [{ change: { actions: [] } }] }, 'resource_changes[0] has no "address"'],
    [
      { resource_changes: [rc('a'), { address: 'b.c', change: {} }] },
      'resource_changes[1] (b.c) has no "change.actions" list'
    ],
    [
      { format_version: '1.2', resource_drift: [{ address: 'd.e', change: { actions: [1] } }] },
      'resource_drift[0] (d.e) has no "change.actions" list'
    ],
    [
      { format_version: '1.2', output_changes: { ip: {} } },
      'output_changes["ip"] has no "actions"'
    ],
    [{ format_version: '1.2', output_changes: [] }, 'output_changes is not an object'],
    [
      { format_version: '1.2', deferred_changes: [{ reason: 'x' }] },
      'deferred_changes[0].resource_change is not an object'
    ],
    [{ format_version: '1.2', checks: ['x'] }, 'checks[0] is not an object'],
    [{ format_version: '1.2', errored: 'yes' }, '"errored" is not true or false']
  ])('names the element of a wrong shape: %j', async (document, message) => {
    const [parsed, read] = await bothReaders(JSON.stringify(document))
    for (const error of [parsed, read]) {
      expect(error).toBeInstanceOf(PlanParseError)
      expect((error as Error).message).toContain('unexpected shape')
      expect((error as Error).message).toContain(message)
    }
  })
})

describe('readJsonPlanFile', () => {
  it.each(fixtureNames)('gives the same plan as parseJsonPlan for %s', async name => {
    const file = path.join(FIXTURES, name)
    const parsed = parseJsonPlan(fs.readFileSync(file, 'utf8'))
    expect(await readJsonPlanFile(file)).toEqual(parsed)
    expect(await streamJsonPlanFile(file)).toEqual(parsed)
  })

  it('says where a small broken plan breaks, in bytes, as the streaming reader does', async () => {
    const file = writeTemp('{"format_version":"1.2","resource_changes":[}')
    const error = await readJsonPlanFile(file).catch((e: unknown) => e)
    expect(error).toEqual(await streamJsonPlanFile(file).catch((e: unknown) => e))
    expect((error as PlanParseError).byteOffset).toBe(44)
  })

  it('streams a plan above the native size, keeping only what the action reads', async () => {
    const padding = 'x'.repeat(NATIVE_PARSE_MAX_BYTES)
    const file = writeTemp(
      JSON.stringify({ format_version: '1.2', prior_state: padding, resource_changes: [rc('a.b')] })
    )
    expect(await readJsonPlanFile(file)).toEqual({
      format_version: '1.2',
      resource_changes: [rc('a.b')]
    })
  })

  it('keeps a scalar that follows a skipped container, and the last of duplicate keys', async () => {
    const text =
      '{"prior_state":{"a":[1,{"b":"}]\\""}]},"format_version":"0.1","errored":true,' +
      '"configuration":[],"errored":false,"output_changes":{"__proto__":{"actions":["create"]}}}'
    const plan = await readText(text)
    expect(plan).toEqual(parseJsonPlan(text))
    expect(plan).toMatchObject({ format_version: '0.1', errored: false })
    expect(Object.keys((plan as { output_changes: object }).output_changes)).toEqual(['__proto__'])
  })

  it.each([
    ['{"format_version":"1.2"} x', "unexpected 'x' at byte 25 (expected nothing after the end"],
    ['{"format_version":"1.2",}', "unexpected '}' at byte 24 (expected a key)"],
    ['{"format_version" "1.2"}', `unexpected '"' at byte 18 (expected ':')`],
    ['{"format_version":01}', "unexpected '1' at byte 19"],
    ['{"format_version":-}', "unexpected '}' at byte 19 (expected a digit)"],
    ['{"format_version":1.}', "unexpected '}' at byte 20 (expected a digit)"],
    ['{"format_version":1e}', "unexpected '}' at byte 20 (expected a digit or sign)"],
    ['{"format_version":tru}', "unexpected '}' at byte 21 (expected 'true')"],
    ['{"format_version":"a\\x"}', "unexpected 'x' at byte 21 (expected an escape character)"],
    ['{"format_version":"\\u12g4"}', "unexpected 'g' at byte 23 (expected a hex digit)"],
    ['{"format_version":"a\tb"}', 'unexpected byte 0x09 at byte 20'],
    ['{"planned_values":[1,2}', "unexpected '}' at byte 22 (expected ',' or ']')"],
    ['{"planned_values":{"a":1]}', "unexpected ']' at byte 24 (expected ',' or '}')"],
    ['{"format_version":"1.2"', 'ends in the middle of a value at byte 23'],
    ['{"format_version":"1.2', 'ends in the middle of a value at byte 22']
  ])('rejects invalid JSON %j with the byte offset', async (text, message) => {
    const error = await readText(text).then(
      () => undefined,
      (thrown: unknown) => thrown
    )
    expect(error).toBeInstanceOf(PlanParseError)
    expect((error as Error).message).toContain('not valid JSON')
    expect((error as Error).message).toContain(message)
  })

  it('rejects an empty file and a top level that is not an object', async () => {
    await expect(readText('')).rejects.toThrow('The JSON plan is empty')
    await expect(readText('\n  ')).rejects.toThrow('The JSON plan is empty')
    await expect(readText(' [1, 2] ')).rejects.toThrow('the top level is an array, not an object')
    await expect(readText('12.5e3')).rejects.toThrow('the top level is a number, not an object')
    await expect(readText('null')).rejects.toThrow('the top level is null, not an object')
  })

  it('rejects every truncation of a plan', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'output-only.json'), 'utf8').trimEnd()
    for (let length = 0; length < text.length; length += 7) {
      await expect(readText(text.slice(0, length))).rejects.toThrow(PlanParseError)
    }
  })

  it('is not confused by tokens and UTF-8 characters split across chunks', async () => {
    // Every kind of token, and multi-byte characters, at each position around the chunk boundary.
    const element = JSON.stringify({
      ...rc('aws_x.y["é日本😀"]', ['delete', 'create']),
      index: -12.5e-3,
      deposed: 'é\n\\"\u0001',
      action_reason: null,
      change: { actions: ['delete', 'create'], before: [true, false, 0, 1e10], after: {} }
    })
    const head = '{"format_version":"1.2","resource_changes":['
    for (let shift = 0; shift < element.length + 2; shift++) {
      const padding = ' '.repeat(CHUNK - Buffer.byteLength(head) - shift)
      const text = `${head}${padding}${element}, ${element}],"prior_state":"${'é'.repeat(10)}"}`
      const [parsed, read] = await bothReaders(text)
      expect(read).toEqual(parsed)
    }
  })

  it('keeps a value far larger than a chunk, and skips one', async () => {
    const big = 'x'.repeat(3 * CHUNK)
    const text = JSON.stringify({
      prior_state: { big },
      format_version: '1.2',
      resource_changes: [{ ...rc('a.b'), change: { actions: ['update'], before: big, after: '' } }]
    })
    const plan = (await readText(text)) as { resource_changes: { change: { before: string } }[] }
    expect(plan.resource_changes[0].change.before).toHaveLength(big.length)
    expect(plan).toEqual(parseJsonPlan(text))
  })

  it('agrees with JSON.parse on what is valid JSON (generated documents)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.jsonValue(),
        fc.array(fc.jsonValue(), { maxLength: 3 }),
        async (kept, skipped, elements) => {
          const text = JSON.stringify(
            {
              planned_values: skipped,
              format_version: '1.2',
              relevant_attributes: elements,
              timestamp: kept
            },
            null,
            elements.length
          )
          const [parsed, read] = await bothReaders(text)
          expect(read).toEqual(parsed)
        }
      ),
      { numRuns: 150 }
    )
  })

  it('agrees with JSON.parse on what is valid JSON (mutated documents)', async () => {
    const base = JSON.stringify({
      format_version: '1.2',
      resource_changes: [rc('a.b'), rc('c.d', ['no-op'])],
      prior_state: { values: [1.5, -2e-3, 'q"\\u00e9', null, true, false, {}] }
    })
    const alphabet = [...'{}[]:,"\\ -+.0123456789eEtrufalsnx\t\n', '\u0001']
    await fc.assert(
      fc.asyncProperty(
        fc.nat(base.length - 1),
        fc.constantFrom('insert', 'replace', 'delete'),
        fc.constantFrom(...alphabet),
        async (at, edit, character) => {
          const text =
            base.slice(0, at) +
            (edit === 'delete' ? '' : character) +
            base.slice(edit === 'insert' ? at : at + 1)
          const validJson = isValidJson(text)
          const [parsed, read] = await bothReaders(text)
          if (validJson) {
            expect(read).toEqual(parsed)
          } else {
            expect(read).toBeInstanceOf(PlanParseError)
            expect((read as Error).message).toMatch(/not valid JSON/)
          }
        }
      ),
      { numRuns: 400 }
    )
  })
})

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function catchError(run: () => unknown): PlanParseError {
  try {
    run()
  } catch (error) {
    if (error instanceof PlanParseError) return error
    throw error
  }
  throw new Error('expected a PlanParseError')
}
