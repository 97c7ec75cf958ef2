// Any JSON value, as Terraform writes them in plans and schemas.
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** Structural equality of JSON values. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  if (a === null || b === null || a === undefined || b === undefined) return false
  if (typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => jsonEqual(item, b[i]))
  }
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every(key => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
}

export function isJsonObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Whether a mirror (after_unknown, *_sensitive) marks anything inside it with `true`. */
export function marksAnything(mirror: JsonValue | undefined): boolean {
  if (mirror === true) return true
  if (Array.isArray(mirror)) return mirror.some(marksAnything)
  return isJsonObject(mirror) && Object.values(mirror).some(marksAnything)
}
