// The apply's log: per-resource results, counts, outputs and diagnostics from HCP Terraform's
// structured log (JSON lines), or from Terraform's plain-text output on older runs. Pure.
import type { JsonValue } from '../plan/json-value.js'
import type { Diagnostic } from '../result.js'
import type { AppliedResource, ApplyCounts, ApplyOutput } from '../run/apply.js'
import { isRecord } from '../util/is-record.js'
import {
  cleanLine,
  logTail,
  parseJsonLine,
  plainDiagnostics,
  structuredDiagnostic,
  uniqueDiagnostics
} from './logs.js'

export interface ApplyLog {
  /** Terraform's own count (`change_summary`, or the `Apply complete!` line). */
  counts?: ApplyCounts
  resources: AppliedResource[]
  diagnostics: Diagnostic[]
  outputs: ApplyOutput[]
  /**
   * Every string inside a sensitive output's value: the caller masks them in the step log. They
   * are kept nowhere else.
   */
  sensitiveStrings: string[]
  /** Last non-empty lines of a plain-text log without diagnostics. */
  logTail?: string[]
}

const MIN_MASKED_CHARS = 4
const APPLY_COMPLETE =
  /Apply complete! Resources: (?:(\d+) imported, )?(\d+) added, (\d+) changed, (\d+) destroyed\./
/** `null_resource.a: Creation complete after 0s (ID: 1)`, `… Destruction errored after 1s`. */
const PLAIN_RESOURCE =
  /^(\S+): (Creating|Modifying|Destroying|Reading|Creation|Modifications|Destruction|Read)(?:\.\.\.| (complete|errored) after)/
const PLAIN_ACTIONS: Readonly<Record<string, string>> = {
  Creating: 'create',
  Creation: 'create',
  Modifying: 'update',
  Modifications: 'update',
  Destroying: 'delete',
  Destruction: 'delete',
  Reading: 'read',
  Read: 'read'
}
/** A plain-text output line after `Outputs:`: `name = value`, `<sensitive>` when it is one. */
const PLAIN_OUTPUT = /^([A-Za-z_][A-Za-z0-9_-]*) = (.*)$/

export function parseApplyLog(text: string): ApplyLog {
  const lines = text.split(/\r?\n/).map(cleanLine)
  const entries = lines.map(parseJsonLine)
  return entries.some(entry => entry !== undefined)
    ? parseStructured(entries.filter((entry): entry is Record<string, unknown> => !!entry))
    : parsePlain(lines)
}

function parseStructured(entries: Record<string, unknown>[]): ApplyLog {
  const resources = new ResourceLog()
  const diagnostics: Diagnostic[] = []
  let counts: ApplyCounts | undefined
  let outputs: ApplyOutput[] = []
  const sensitiveStrings: string[] = []
  for (const entry of entries) {
    switch (entry.type) {
      case 'apply_start':
      case 'apply_complete':
      case 'apply_errored': {
        const hook = isRecord(entry.hook) ? entry.hook : {}
        const resource = isRecord(hook.resource) ? hook.resource : {}
        if (typeof resource.addr !== 'string') break
        const outcome =
          entry.type === 'apply_start'
            ? 'started'
            : entry.type === 'apply_complete'
              ? 'complete'
              : 'errored'
        resources.record(
          resource.addr,
          stringOr(hook.action, 'apply'),
          outcome,
          hook.elapsed_seconds
        )
        break
      }
      case 'change_summary': {
        const changes = isRecord(entry.changes) ? entry.changes : {}
        if (changes.operation !== 'apply') break
        counts = {
          add: count(changes.add),
          change: count(changes.change),
          destroy: count(changes.remove),
          import: count(changes.import)
        }
        break
      }
      case 'outputs':
        // Terraform logs the outputs once, after the apply; a later entry replaces an earlier one.
        outputs = structuredOutputs(entry.outputs, sensitiveStrings)
        break
      case 'diagnostic': {
        const diagnostic = structuredDiagnostic(entry)
        if (diagnostic) diagnostics.push(diagnostic)
        break
      }
    }
  }
  return {
    ...(counts && { counts }),
    resources: resources.list(),
    diagnostics: uniqueDiagnostics(diagnostics),
    outputs,
    sensitiveStrings
  }
}

function structuredOutputs(raw: unknown, sensitiveStrings: string[]): ApplyOutput[] {
  if (!isRecord(raw)) return []
  return Object.entries(raw).map(([name, output]): ApplyOutput => {
    const described = isRecord(output) ? output : {}
    // Anything not plainly marked `false` is treated as sensitive: a value is never shown by doubt.
    if (described.sensitive !== false) {
      sensitiveStrings.push(...stringsIn(described.value))
      return { name, sensitive: true }
    }
    return { name, sensitive: false, value: (described.value ?? null) as JsonValue }
  })
}

function parsePlain(lines: string[]): ApplyLog {
  const resources = new ResourceLog()
  const outputs: ApplyOutput[] = []
  let counts: ApplyCounts | undefined
  let inOutputs = false
  for (const line of lines) {
    const complete = APPLY_COMPLETE.exec(line)
    if (complete) {
      counts = {
        add: Number(complete[2]),
        change: Number(complete[3]),
        destroy: Number(complete[4]),
        import: Number(complete[1] ?? 0)
      }
      continue
    }
    if (/^Outputs:\s*$/.test(line)) {
      inOutputs = true
      continue
    }
    const output = inOutputs ? PLAIN_OUTPUT.exec(line) : null
    if (output) {
      // Values of a plain log are Terraform's rendering, kept as text; sensitive ones it hides.
      outputs.push(
        output[2].trim() === '<sensitive>'
          ? { name: output[1], sensitive: true }
          : { name: output[1], sensitive: false, value: output[2].trim() }
      )
      continue
    }
    const resource = PLAIN_RESOURCE.exec(line)
    if (resource) {
      const outcome = resource[3] === undefined ? 'started' : resource[3]
      resources.record(
        resource[1],
        PLAIN_ACTIONS[resource[2]],
        outcome as AppliedResource['outcome']
      )
    }
  }
  const diagnostics = uniqueDiagnostics(plainDiagnostics(lines))
  const tail = logTail(lines)
  return {
    ...(counts && { counts }),
    resources: resources.list(),
    diagnostics,
    outputs,
    sensitiveStrings: [],
    ...(diagnostics.length === 0 && tail.length > 0 && { logTail: tail })
  }
}

/** Each address once, in the order the apply started them, with the last thing seen of it. */
class ResourceLog {
  private readonly byAddress = new Map<string, AppliedResource>()

  record(address: string, action: string, outcome: AppliedResource['outcome'], elapsed?: unknown) {
    const known = this.byAddress.get(address)
    // A replace logs a delete and a create of the same address: the create is what it ends as.
    const entry: AppliedResource = {
      address,
      action: known && known.action !== action ? 'replace' : action,
      outcome
    }
    if (typeof elapsed === 'number' && Number.isFinite(elapsed) && elapsed >= 0)
      entry.elapsedSeconds = elapsed
    this.byAddress.set(address, entry)
  }

  list(): AppliedResource[] {
    return [...this.byAddress.values()]
  }
}

/**
 * The string leaves of a JSON value worth masking. Strings shorter than MIN_MASKED_CHARS are left
 * out: the runner masks every occurrence, and masking "on" or "1" would blank the whole step log
 * (the value itself is never printed either way).
 */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= MIN_MASKED_CHARS ? [value] : []
  if (Array.isArray(value)) return value.flatMap(stringsIn)
  if (isRecord(value)) return Object.values(value).flatMap(stringsIn)
  return []
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0
}
