// A plain JSON object: shared by every layer that reads untyped JSON (API answers, plans, logs).

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
