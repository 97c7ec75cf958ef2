// The provider schemas a plan's resources use, read from the last bytes of its redacted JSON. HCP
// Terraform writes the whole schema of every provider there (about 10 MB for AWS alone), as the
// top-level object's second-to-last member, followed only by `provider_format_version`. The key is
// found from the end, the schemas are walked by their brackets without being built, and only the
// resource and data source types the plan uses are parsed, natively.
import type { JsonValue } from './json-value.js'
import type { ProviderSchemas, SchemaUse } from './schema.js'

const SCHEMAS_KEY = Buffer.from('"provider_schemas"')
/** Occurrences of the key tried from the end before giving up: any but the last is a freak. */
const MAX_KEY_CANDIDATES = 4
/** Scalar members up to the document's end: `, "key": "value"` … `}`. */
const TRAILING_SCALARS =
  /^\s*(?:,\s*"(?:[^"\\]|\\.)*"\s*:\s*(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)\s*)*\}\s*$/
/** Where the members that follow the schemas are looked for, at most. */
const TRAILING_MEMBERS_BYTES = 1024

/** Whether `tail` holds the start of a top-level `provider_schemas` member (or one like it). */
export function holdsProviderSchemas(tail: Buffer): boolean {
  return keyCandidates(tail).next().done === false
}

/**
 * The schemas of the types `resources` use, from the last bytes of a redacted plan; undefined when
 * `tail` does not hold the schemas whole, or they are not an object.
 */
export function usedProviderSchemasInTail(
  tail: Buffer,
  resources: Iterable<SchemaUse>
): ProviderSchemas | undefined {
  const wanted = wantedTypes(resources)
  for (const valueStart of keyCandidates(tail)) {
    const used = readUsedSchemas(new SchemaScanner(tail, valueStart), wanted)
    if (used !== undefined) return used
  }
  return undefined
}

/** Where the value of each likely `"provider_schemas":` starts, from the end of `tail`. */
function* keyCandidates(tail: Buffer): Generator<number> {
  let end = tail.length
  for (let tries = 0; tries < MAX_KEY_CANDIDATES; tries++) {
    const at = tail.lastIndexOf(SCHEMAS_KEY, end - 1)
    if (at < 0) return
    end = at
    // A key's opening quote follows `{` or `,`, then a colon follows it: inside a string its
    // quotes would be escaped.
    const before = tail.toString('latin1', Math.max(0, at - 64), at)
    const after = /^\s*:/.exec(tail.toString('latin1', at + SCHEMAS_KEY.length, at + 80))
    if (/[{,]\s*$/.test(before) && after !== null) yield at + SCHEMAS_KEY.length + after[0].length
  }
}

type Wanted = Map<string, Record<SchemaKind, Set<string>>>
type SchemaKind = 'resource_schemas' | 'data_source_schemas'

function wantedTypes(resources: Iterable<SchemaUse>): Wanted {
  const wanted: Wanted = new Map()
  for (const { provider_name: provider, mode, type } of resources) {
    if (typeof provider !== 'string' || typeof type !== 'string') continue
    let kinds = wanted.get(provider)
    if (kinds === undefined) {
      kinds = { resource_schemas: new Set(), data_source_schemas: new Set() }
      wanted.set(provider, kinds)
    }
    kinds[mode === 'data' ? 'data_source_schemas' : 'resource_schemas'].add(type)
  }
  return wanted
}

/** The wanted types of the object at the scanner; undefined when it is not the last member. */
function readUsedSchemas(scanner: SchemaScanner, wanted: Wanted): ProviderSchemas | undefined {
  // Without a prototype, a provider or type named "__proto__" is a name like any other.
  const used: Record<string, Record<string, Record<string, JsonValue>>> = Object.create(null)
  try {
    if (!scanner.atObject()) return undefined
    scanner.members(provider => {
      const kinds = wanted.get(provider)
      if (kinds === undefined || !scanner.atObject()) return scanner.skipValue()
      scanner.members(kind => {
        const types =
          kind === 'resource_schemas' || kind === 'data_source_schemas' ? kinds[kind] : undefined
        if (types === undefined || !scanner.atObject()) return scanner.skipValue()
        scanner.members(type => {
          if (!types.has(type)) return scanner.skipValue()
          used[provider] ??= Object.create(null)
          used[provider][kind] ??= Object.create(null)
          used[provider][kind][type] = scanner.parseValue()
        })
      })
    })
    return scanner.atDocumentEnd() ? (used as ProviderSchemas) : undefined
  } catch (error) {
    // Brackets that do not close where a document's would: not the schemas after all.
    if (error instanceof NotTheSchemas) return undefined
    throw error
  }
}

class NotTheSchemas extends Error {}

const [QUOTE, BACKSLASH, COLON, COMMA] = [0x22, 0x5c, 0x3a, 0x2c]
const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [0x7b, 0x7d, 0x5b, 0x5d]

/**
 * Walks JSON bytes by their brackets and strings without building values: strings are skipped by
 * the native search for their closing quote. Only what is asked for is parsed, by JSON.parse,
 * which validates it. Throws NotTheSchemas when the bytes are not shaped as expected.
 */
class SchemaScanner {
  constructor(
    private readonly bytes: Buffer,
    private at: number
  ) {}

  atObject(): boolean {
    this.skipWhitespace()
    return this.bytes[this.at] === OPEN_BRACE
  }

  /** Calls `visit` with each key of the object at the scanner, which must consume the value. */
  members(visit: (key: string) => void): void {
    this.expect(OPEN_BRACE)
    this.skipWhitespace()
    if (this.bytes[this.at] === CLOSE_BRACE) {
      this.at++
      return
    }
    for (;;) {
      this.skipWhitespace()
      const key = this.parseKey()
      this.skipWhitespace()
      this.expect(COLON)
      this.skipWhitespace()
      visit(key)
      this.skipWhitespace()
      const next = this.bytes[this.at++]
      if (next === CLOSE_BRACE) return
      if (next !== COMMA) throw new NotTheSchemas()
    }
  }

  parseValue(): JsonValue {
    const start = this.at
    this.skipValue()
    try {
      return JSON.parse(this.bytes.toString('utf8', start, this.at)) as JsonValue
    } catch {
      throw new NotTheSchemas()
    }
  }

  skipValue(): void {
    const { bytes } = this
    const first = bytes[this.at]
    if (first === QUOTE) {
      this.skipString()
      return
    }
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      // A number or a literal: it runs to the next delimiter.
      while (this.at < bytes.length && !isDelimiter(bytes[this.at])) this.at++
      return
    }
    let depth = 0
    for (;;) {
      const c = bytes[this.at]
      if (c === QUOTE) {
        this.skipString()
        continue
      }
      if (c === undefined) throw new NotTheSchemas()
      this.at++
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return
    }
  }

  /** Only scalar members and the document's closing brace are left. */
  atDocumentEnd(): boolean {
    const rest = this.bytes.length - this.at
    if (rest > TRAILING_MEMBERS_BYTES) return false
    return TRAILING_SCALARS.test(this.bytes.toString('utf8', this.at))
  }

  private parseKey(): string {
    if (this.bytes[this.at] !== QUOTE) throw new NotTheSchemas()
    const start = this.at
    this.skipString()
    const raw = this.bytes.toString('utf8', start + 1, this.at - 1)
    return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw
  }

  private skipString(): void {
    const { bytes } = this
    let end = bytes.indexOf(QUOTE, this.at + 1)
    while (end >= 0 && isEscaped(bytes, end)) end = bytes.indexOf(QUOTE, end + 1)
    if (end < 0) throw new NotTheSchemas()
    this.at = end + 1
  }

  private skipWhitespace(): void {
    const { bytes } = this
    while (isWhitespace(bytes[this.at])) this.at++
  }

  private expect(byte: number): void {
    if (this.bytes[this.at] !== byte) throw new NotTheSchemas()
    this.at++
  }
}

/** A quote is escaped when an odd number of backslashes precede it. */
function isEscaped(bytes: Buffer, quote: number): boolean {
  let backslashes = 0
  for (let i = quote - 1; bytes[i] === BACKSLASH; i--) backslashes++
  return backslashes % 2 === 1
}

function isWhitespace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWhitespace(c)
}
