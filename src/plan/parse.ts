// Reading Terraform's JSON plan: validated, and reduced to the parts the action uses.
// Plans of large estates are hundreds of MB, mostly prior_state, planned_values and configuration,
// which the action never reads (provider_schemas, in redacted plans, is kept for the diffs).
// readJsonPlanFile parses a plan of up to some MB natively; a larger one it streams through a byte
// tokenizer that validates everything but only builds the kept keys, one array element at a time.
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { isRecord } from '../util/is-record.js'
import type { JsonPlan } from './types.js'
import { errorMessage } from '../util/error-message.js'

export class PlanParseError extends Error {
  override readonly name = 'PlanParseError'

  constructor(
    message: string,
    /** Byte offset in the file where the problem was found, when there is one. */
    readonly byteOffset?: number
  ) {
    super(message)
  }
}

/** The top-level keys the action reads; everything else is skipped. */
export const KEPT_KEYS: ReadonlySet<string> = new Set([
  'format_version',
  'plan_format_version',
  'terraform_version',
  'resource_changes',
  'resource_drift',
  'output_changes',
  'deferred_changes',
  'checks',
  'relevant_attributes',
  'provider_schemas',
  'applyable',
  'complete',
  'errored',
  'timestamp'
])

const NOT_JSON = 'The JSON plan is not valid JSON'

/** Parses a whole JSON plan held in memory (small plans, or ones that came inline). */
export function parseJsonPlan(text: string): JsonPlan {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (body.trim() === '') throw new PlanParseError('The JSON plan is empty')
  let root: unknown
  try {
    root = JSON.parse(body)
  } catch (error) {
    throw jsonSyntaxError(body, error)
  }
  if (!isRecord(root)) {
    const kind = Array.isArray(root) ? 'an array' : root === null ? 'null' : `a ${typeof root}`
    throw notAnObject(kind)
  }
  const fields: Record<string, unknown> = {}
  for (const key of KEPT_KEYS) if (Object.hasOwn(root, key)) fields[key] = root[key]
  return toPlan(fields)
}

/**
 * Below this size a plan is read into memory and parsed natively, which is several times faster
 * than the streaming reader and, at this size, takes memory a runner has to spare.
 */
export const NATIVE_PARSE_MAX_BYTES = 24 << 20

/**
 * Reads a JSON plan file: natively when it is small enough to hold, else streamed without ever
 * holding the whole file, or its unused parts, in memory.
 */
export async function readJsonPlanFile(path: string): Promise<JsonPlan> {
  const { size } = await stat(path)
  if (size > NATIVE_PARSE_MAX_BYTES) return streamJsonPlanFile(path)
  try {
    return parseJsonPlan(await readFile(path, 'utf8'))
  } catch {
    // The streaming reader says where a broken plan breaks, in bytes, in every case.
    return streamJsonPlanFile(path)
  }
}

/** Reads a JSON plan file with the streaming reader, building only the kept keys. */
export async function streamJsonPlanFile(path: string): Promise<JsonPlan> {
  const reader = new PlanStreamReader(KEPT_KEYS)
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    reader.push(chunk as Buffer)
  }
  return toPlan(reader.finish())
}

// V8's message says what is wrong and where, in characters; newer versions quote a piece of the
// input, which may be a secret from the plan, so only the description is kept.
function jsonSyntaxError(text: string, error: unknown): PlanParseError {
  const message = errorMessage(error)
  const description = message
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ (in JSON )?at position \d+.*$/s, '')
  const position = /at position (\d+)/.exec(message)
  if (!position) return new PlanParseError(`${NOT_JSON}: ${description}`)
  const byteOffset = Buffer.byteLength(text.slice(0, Number(position[1])))
  return new PlanParseError(`${NOT_JSON}: ${description} at byte ${byteOffset}`, byteOffset)
}

function notAnObject(kind: string): PlanParseError {
  return new PlanParseError(
    `The file is JSON but not a Terraform plan (the top level is ${kind}, not an object)`
  )
}

// ---------------------------------------------------------------------------------------------
// Shape checks shared by both readers: the parts the plan model relies on, with the bad element named.

function toPlan(fields: Record<string, unknown>): JsonPlan {
  if (!(
    'format_version' in fields ||
    'plan_format_version' in fields ||
    'resource_changes' in fields
  )) {
    throw new PlanParseError(
      'The file is JSON but not a Terraform plan (no format_version, plan_format_version or resource_changes)'
    )
  }
  for (const key of Object.keys(fields)) if (fields[key] === null) delete fields[key]
  checkOptionalString(fields, 'terraform_version', 'the plan')
  checkResourceChanges(fields.resource_changes, 'resource_changes')
  checkResourceChanges(fields.resource_drift, 'resource_drift')
  checkOutputChanges(fields.output_changes)
  checkList(fields.deferred_changes, 'deferred_changes', (item, where) => {
    if (!isRecord(item)) throw badShape(`${where} is not an object`)
    checkResourceChange(item.resource_change, `${where}.resource_change`)
  })
  checkList(fields.checks, 'checks', checkCheckResult)
  // Schemas only improve how diffs read: a plan whose schemas are not an object is read without.
  if (fields.provider_schemas !== undefined && !isRecord(fields.provider_schemas)) {
    delete fields.provider_schemas
  }
  if (fields.errored !== undefined && typeof fields.errored !== 'boolean') {
    throw badShape('"errored" is not true or false')
  }
  return fields as JsonPlan
}

function checkList(
  value: unknown,
  where: string,
  checkItem: (item: unknown, where: string) => void
): void {
  if (value === undefined) return
  if (!Array.isArray(value)) throw badShape(`${where} is not a list`)
  value.forEach((item, index) => checkItem(item, `${where}[${index}]`))
}

function checkResourceChanges(value: unknown, where: string): void {
  checkList(value, where, checkResourceChange)
}

/** Optional addresses and keys the renderers show as code: absent, or a string. */
const RESOURCE_TEXT_KEYS = ['previous_address', 'module_address', 'deposed']

function checkResourceChange(item: unknown, where: string): void {
  if (!isRecord(item)) throw badShape(`${where} is not an object`)
  if (typeof item.address !== 'string') throw badShape(`${where} has no "address"`)
  const named = `${where} (${clipped(item.address)})`
  if (!hasActions(item.change)) throw badShape(`${named} has no "change.actions" list`)
  for (const key of RESOURCE_TEXT_KEYS) checkOptionalString(item, key, named)
  const { importing } = item.change
  if (isRecord(importing)) checkOptionalString(importing, 'id', `${named} change.importing`)
}

function checkOutputChanges(value: unknown): void {
  if (value === undefined) return
  if (!isRecord(value)) throw badShape('output_changes is not an object')
  for (const [name, change] of Object.entries(value)) {
    if (!hasActions(change)) {
      throw badShape(`output_changes["${clipped(name)}"] has no "actions" list`)
    }
  }
}

/** The model reads a failed check's name and its instances' problem messages. */
function checkCheckResult(item: unknown, where: string): void {
  if (!isRecord(item)) throw badShape(`${where} is not an object`)
  if (isRecord(item.address)) checkOptionalString(item.address, 'to_display', `${where}.address`)
  checkList(item.instances ?? undefined, `${where}.instances`, (instance, at) => {
    if (!isRecord(instance)) throw badShape(`${at} is not an object`)
    checkList(instance.problems ?? undefined, `${at}.problems`, (problem, problemAt) => {
      if (!isRecord(problem)) throw badShape(`${problemAt} is not an object`)
      checkOptionalString(problem, 'message', problemAt)
    })
  })
}

/** A key that is absent or a string; a null is removed, as Terraform would have left it out. */
function checkOptionalString(record: Record<string, unknown>, key: string, where: string): void {
  const value = record[key]
  if (value === null) delete record[key]
  else if (value !== undefined && typeof value !== 'string') {
    throw badShape(`${where} has a "${key}" that is not a string`)
  }
}

function hasActions(change: unknown): change is Record<string, unknown> {
  return (
    isRecord(change) &&
    Array.isArray(change.actions) &&
    change.actions.every(action => typeof action === 'string')
  )
}

/** Names and addresses quoted in a message are cut short: an error must stay readable. */
const MAX_QUOTED_CHARS = 120

function clipped(text: string): string {
  return text.length > MAX_QUOTED_CHARS
    ? `${text.slice(0, MAX_QUOTED_CHARS / 2)}…${text.slice(-MAX_QUOTED_CHARS / 2)}`
    : text
}

function badShape(detail: string): PlanParseError {
  return new PlanParseError(`The JSON plan has an unexpected shape: ${detail}`)
}

// ---------------------------------------------------------------------------------------------
// The streaming reader: a validating JSON tokenizer over bytes, resumable across chunks.

const CHUNK_BYTES = 1 << 20

// Tokenizer states. Those up to END sit between tokens, where whitespace may come.
const VALUE = 0 // a value must come (root, after ':' or after ',' in an array)
const ARRAY_FIRST = 1 // after '[': a value or ']'
const OBJECT_FIRST = 2 // after '{': a key or '}'
const KEY = 3 // after ',' in an object: a key
const COLON = 4 // after a key
const AFTER_VALUE = 5 // after a value in a container: ',' or the closing bracket
const END = 6 // after the root value: only whitespace may follow
const STRING = 7
const ESCAPE = 8 // after a backslash in a string
const UNICODE = 9 // inside the four hex digits of \uXXXX
const NUMBER = 10
const LITERAL = 11 // inside true, false or null

// Number states, in the order of JSON's number grammar.
const N_MINUS = 0 // '-' seen, a digit must follow
const N_ZERO = 1 // a leading 0: '.', 'e' or the end
const N_INT = 2
const N_DOT = 3 // '.' seen, a digit must follow
const N_FRAC = 4
const N_EXP = 5 // 'e' seen, a sign or digit must follow
const N_EXP_SIGN = 6 // sign seen, a digit must follow
const N_EXP_DIGITS = 7

const IN_OBJECT = 0
const IN_ARRAY = 1

// Where a captured piece goes.
const CAPTURE_NONE = 0
const CAPTURE_ROOT_KEY = 1 // a key of the root object
const CAPTURE_ROOT_VALUE = 2 // a kept root value, whole
const CAPTURE_CHILD_KEY = 3 // a key of a kept root object (output_changes)
const CAPTURE_CHILD_VALUE = 4 // an element or member value of a kept root container

const QUOTE = 0x22
const BACKSLASH = 0x5c

/** 1 for bytes that may stand unescaped in a string (not '"', '\' or a control character). */
const PLAIN_STRING_BYTE = new Uint8Array(256).fill(1, 0x20)
PLAIN_STRING_BYTE[QUOTE] = 0
PLAIN_STRING_BYTE[BACKSLASH] = 0

const HEX_DIGIT = new Uint8Array(256)
for (const c of '0123456789abcdefABCDEF') HEX_DIGIT[c.charCodeAt(0)] = 1

const ESCAPABLE = new Uint8Array(256)
for (const c of '"\\/bfnrtu') ESCAPABLE[c.charCodeAt(0)] = 1

/** How a message names a top-level value that is not an object, by its first byte. */
const ROOT_KINDS: Readonly<Record<number, string>> = {
  0x5b: 'an array',
  0x22: 'a string',
  0x74: 'a boolean',
  0x66: 'a boolean',
  0x6e: 'null'
}

const WHITESPACE = new Uint8Array(256)
for (const c of ' \t\n\r') WHITESPACE[c.charCodeAt(0)] = 1
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39

/**
 * Takes a plan's bytes chunk by chunk and keeps the root object's KEPT_KEYS. A kept scalar is
 * sliced and parsed whole; a kept array or object is parsed one element or member at a time.
 */
class PlanStreamReader {
  constructor(private readonly keep: ReadonlySet<string>) {}

  private readonly fields: Record<string, unknown> = {}
  /** Absolute offset of the current chunk's first byte. */
  private offset = 0
  private state = VALUE
  private readonly stack: number[] = []
  private inKey = false
  private hexLeft = 0
  private numberState = N_MINUS
  private literal = ''
  private literalIndex = 0
  /** First byte of the root value once it has started: '{' for a plan. */
  private rootByte = -1

  private rootKey = ''
  private childKey = ''
  /** The kept root container (under rootKey) being assembled child by child. */
  private collecting: unknown[] | Record<string, unknown> | undefined

  private capture = CAPTURE_NONE
  /** Container depth (stack length) at which the captured value starts, and so ends. */
  private captureDepth = 0
  private captureStart = 0
  private captureStartOffset = 0
  private readonly pieces: Buffer[] = []

  push(chunk: Buffer): void {
    let i = this.offset === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0
    const n = chunk.length
    const stack = this.stack
    let state = this.state
    while (i < n) {
      let c = chunk[i]
      if (state <= END) {
        // Between tokens: whitespace runs are skipped in one tight loop.
        while (WHITESPACE[c] === 1 && ++i < n) c = chunk[i]
        if (i === n) break
      }
      switch (state) {
        case STRING: {
          while (PLAIN_STRING_BYTE[c] === 1 && ++i < n) c = chunk[i]
          if (i === n) break
          i++
          if (c === QUOTE) {
            if (!this.inKey) state = this.endValue(chunk, i)
            else {
              state = COLON
              if (this.capture !== CAPTURE_NONE && !this.captureIsValue()) this.endCapture(chunk, i)
            }
          } else if (c === BACKSLASH) {
            state = ESCAPE
          } else {
            throw this.unexpected(
              c,
              i - 1,
              'more of the string (control characters must be escaped)'
            )
          }
          break
        }
        case AFTER_VALUE: {
          const container = stack[stack.length - 1]
          if (c === 0x2c) {
            state = container === IN_OBJECT ? KEY : VALUE
          } else if (c === (container === IN_OBJECT ? 0x7d : 0x5d)) {
            stack.pop()
            state = this.endValue(chunk, i + 1)
          } else {
            throw this.unexpected(c, i, container === IN_OBJECT ? "',' or '}'" : "',' or ']'")
          }
          i++
          break
        }
        case VALUE:
        case ARRAY_FIRST:
          if (c === 0x5d && state === ARRAY_FIRST) {
            stack.pop()
            state = this.endValue(chunk, i + 1)
          } else {
            state = this.startValue(i, c)
          }
          i++
          break
        case OBJECT_FIRST:
        case KEY:
          if (c === QUOTE) {
            this.startKey(i)
            state = STRING
          } else if (c === 0x7d && state === OBJECT_FIRST) {
            stack.pop()
            state = this.endValue(chunk, i + 1)
          } else {
            throw this.unexpected(c, i, state === KEY ? 'a key' : "a key or '}'")
          }
          i++
          break
        case COLON:
          if (c !== 0x3a) throw this.unexpected(c, i, "':'")
          state = VALUE
          i++
          break
        case END:
          throw this.unexpected(c, i, 'nothing after the end of the JSON document')
        case ESCAPE:
          if (ESCAPABLE[c] !== 1) throw this.unexpected(c, i, 'an escape character')
          if (c === 0x75) {
            this.hexLeft = 4
            state = UNICODE
          } else {
            state = STRING
          }
          i++
          break
        case UNICODE:
          if (HEX_DIGIT[c] !== 1) throw this.unexpected(c, i, 'a hex digit')
          if (--this.hexLeft === 0) state = STRING
          i++
          break
        case NUMBER: {
          if (
            this.numberState === N_INT ||
            this.numberState === N_FRAC ||
            this.numberState === N_EXP_DIGITS
          ) {
            while (isDigit(c) && ++i < n) c = chunk[i]
            if (i === n) break
          }
          if (this.continueNumber(c, i)) i++
          else state = this.endValue(chunk, i)
          break
        }
        case LITERAL:
          if (c !== this.literal.charCodeAt(this.literalIndex)) {
            throw this.unexpected(c, i, `'${this.literal}'`)
          }
          i++
          if (++this.literalIndex === this.literal.length) state = this.endValue(chunk, i)
          break
      }
    }
    this.state = state
    if (this.capture !== CAPTURE_NONE) {
      this.pieces.push(chunk.subarray(this.captureStart))
      this.captureStart = 0
    }
    this.offset += n
  }

  /** Ends the stream: everything must have been closed. Returns the kept fields. */
  finish(): Record<string, unknown> {
    if (this.state === NUMBER && this.stack.length === 0 && this.numberCanEnd()) this.state = END
    if (this.state !== END) {
      if (this.rootByte < 0) throw new PlanParseError('The JSON plan is empty', this.offset)
      throw new PlanParseError(
        `${NOT_JSON}: the file ends in the middle of a value at byte ${this.offset} (is it truncated?)`,
        this.offset
      )
    }
    if (this.rootByte !== 0x7b) throw notAnObject(ROOT_KINDS[this.rootByte] ?? 'a number')
    return this.fields
  }

  /** Handles a value's first byte and returns the state that follows it. */
  private startValue(i: number, c: number): number {
    const depth = this.stack.length
    if (depth === 0) this.rootByte = c
    else if (depth <= 2) this.maybeCapture(i, c, depth)
    switch (c) {
      case 0x7b:
        this.stack.push(IN_OBJECT)
        return OBJECT_FIRST
      case 0x5b:
        this.stack.push(IN_ARRAY)
        return ARRAY_FIRST
      case QUOTE:
        this.inKey = false
        return STRING
      case 0x74:
        return this.startLiteral('true')
      case 0x66:
        return this.startLiteral('false')
      case 0x6e:
        return this.startLiteral('null')
      case 0x2d:
        this.numberState = N_MINUS
        return NUMBER
      default:
        if (!isDigit(c)) throw this.unexpected(c, i, 'a value')
        this.numberState = c === 0x30 ? N_ZERO : N_INT
        return NUMBER
    }
  }

  private startLiteral(literal: string): number {
    this.literal = literal
    this.literalIndex = 1
    return LITERAL
  }

  /** Consumes one byte of a number, or returns false when the byte is not part of it. */
  private continueNumber(c: number, i: number): boolean {
    const digit = isDigit(c)
    switch (this.numberState) {
      case N_MINUS:
        if (!digit) throw this.unexpected(c, i, 'a digit')
        this.numberState = c === 0x30 ? N_ZERO : N_INT
        return true
      case N_DOT:
      case N_EXP_SIGN:
        if (!digit) throw this.unexpected(c, i, 'a digit')
        this.numberState = this.numberState === N_DOT ? N_FRAC : N_EXP_DIGITS
        return true
      case N_EXP:
        if (!digit && c !== 0x2b && c !== 0x2d) throw this.unexpected(c, i, 'a digit or sign')
        this.numberState = digit ? N_EXP_DIGITS : N_EXP_SIGN
        return true
      case N_ZERO:
      case N_INT:
      case N_FRAC:
        if (c === 0x2e && this.numberState !== N_FRAC) {
          this.numberState = N_DOT
          return true
        }
        if (c === 0x65 || c === 0x45) {
          this.numberState = N_EXP
          return true
        }
        if (digit) throw this.unexpected(c, i, "'.', 'e' or the end of the number")
        return false
      default:
        return false
    }
  }

  private numberCanEnd(): boolean {
    const s = this.numberState
    return s === N_ZERO || s === N_INT || s === N_FRAC || s === N_EXP_DIGITS
  }

  /** A value has ended just before chunk[end]: finishes its capture and returns the next state. */
  private endValue(chunk: Buffer, end: number): number {
    const depth = this.stack.length
    if (this.capture !== CAPTURE_NONE && depth === this.captureDepth) this.endCapture(chunk, end)
    if (depth === 1 && this.collecting !== undefined) {
      this.fields[this.rootKey] = this.collecting
      this.collecting = undefined
    }
    return depth === 0 ? END : AFTER_VALUE
  }

  private startKey(i: number): void {
    this.inKey = true
    const depth = this.stack.length
    if (depth === 1) this.beginCapture(CAPTURE_ROOT_KEY, i, depth)
    else if (depth === 2 && this.collecting !== undefined && !Array.isArray(this.collecting)) {
      this.beginCapture(CAPTURE_CHILD_KEY, i, depth)
    }
  }

  /** Decides, at a value's first byte at depth 1 or 2, whether to keep it and how. */
  private maybeCapture(i: number, c: number, depth: number): void {
    if (depth === 1) {
      if (!this.keep.has(this.rootKey)) return
      // Containers are assembled child by child so that no single string holds all of them.
      if (c === 0x5b) this.collecting = []
      else if (c === 0x7b) this.collecting = {}
      else this.beginCapture(CAPTURE_ROOT_VALUE, i, depth)
    } else if (this.collecting !== undefined) {
      this.beginCapture(CAPTURE_CHILD_VALUE, i, depth)
    }
  }

  private beginCapture(kind: number, start: number, depth: number): void {
    this.capture = kind
    this.captureStart = start
    this.captureStartOffset = this.offset + start
    this.captureDepth = depth
  }

  private captureIsValue(): boolean {
    return this.capture === CAPTURE_ROOT_VALUE || this.capture === CAPTURE_CHILD_VALUE
  }

  private endCapture(chunk: Buffer, end: number): void {
    let text: string
    if (this.pieces.length === 0) {
      text = chunk.toString('utf8', this.captureStart, end)
    } else {
      this.pieces.push(chunk.subarray(0, end))
      text = Buffer.concat(this.pieces).toString('utf8')
      this.pieces.length = 0
    }
    const value = this.parseCaptured(text)
    const kind = this.capture
    this.capture = CAPTURE_NONE
    switch (kind) {
      case CAPTURE_ROOT_KEY:
        this.rootKey = value as string
        break
      case CAPTURE_CHILD_KEY:
        this.childKey = value as string
        break
      case CAPTURE_ROOT_VALUE:
        this.fields[this.rootKey] = value
        break
      case CAPTURE_CHILD_VALUE:
        if (Array.isArray(this.collecting)) this.collecting.push(value)
        else if (this.collecting !== undefined) defineMember(this.collecting, this.childKey, value)
        break
    }
  }

  private parseCaptured(text: string): unknown {
    try {
      return JSON.parse(text)
    } catch (error) {
      // The tokenizer has validated the bytes already; this is a safety net, not a code path.
      const relative = jsonSyntaxError(text, error)
      const at = this.captureStartOffset + (relative.byteOffset ?? 0)
      throw new PlanParseError(
        `${relative.message} (in the value starting at byte ${this.captureStartOffset})`,
        at
      )
    }
  }

  private unexpected(c: number, i: number, expected: string): PlanParseError {
    const at = this.offset + i
    const shown =
      c >= 0x20 && c < 0x7f
        ? `'${String.fromCharCode(c)}'`
        : `byte 0x${c.toString(16).padStart(2, '0')}`
    return new PlanParseError(
      `${NOT_JSON}: unexpected ${shown} at byte ${at} (expected ${expected})`,
      at
    )
  }
}

/** Like JSON.parse does, a key such as "__proto__" becomes an own property, not a prototype. */
function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true
  })
}
