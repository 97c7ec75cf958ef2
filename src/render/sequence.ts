// Lines up two sequences the way Terraform's plan renderer does (collections.ProcessSlice): a longest
// common subsequence stays in place, the rest is deleted or created, and an object deleted where
// another object is created is shown as one updated element.

/** A step of the alignment: indexes into before and after; -1 where the element does not exist. */
export type AlignedPair = readonly [beforeIndex: number, afterIndex: number]

/**
 * Above this many cells, the quadratic LCS table is skipped for the part between the common prefix
 * and suffix: that part is shown as deleted and created, which is correct, only less compact.
 */
const MAX_LCS_CELLS = 250_000

/**
 * Aligns two sequences of keys (strings that are equal exactly when the elements are, such as
 * lines or serialized values). `isObject` tells which keys stand for objects.
 */
export function alignSequences(
  before: readonly string[],
  after: readonly string[],
  isObject: (key: string) => boolean = () => false
): AlignedPair[] {
  // Sequences of one length are compared element by element, unless one reorders the other.
  if (before.length === after.length && !isReordering(before, after))
    return before.map((_, i) => [i, i] as const)
  const matches = commonSubsequence(before, after)
  const pairs: AlignedPair[] = []
  let b = 0
  let a = 0
  for (const [nextB, nextA] of [...matches, [before.length, after.length] as const]) {
    while (b < nextB) {
      if (a < nextA && isObject(before[b]) && isObject(after[a])) pairs.push([b++, a++])
      else pairs.push([b++, -1])
    }
    while (a < nextA) pairs.push([-1, a++])
    if (nextB < before.length) pairs.push([b++, a++])
  }
  return pairs
}

/** Whether every element of `before` is also in `after`. */
function isReordering(before: readonly string[], after: readonly string[]): boolean {
  const present = new Set(after)
  return before.every(key => present.has(key))
}

/** Index pairs of a longest common subsequence, in order. */
function commonSubsequence(before: readonly string[], after: readonly string[]): AlignedPair[] {
  let prefix = 0
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix])
    prefix++
  let suffix = 0
  while (
    suffix < before.length - prefix &&
    suffix < after.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  )
    suffix++

  const n = before.length - prefix - suffix
  const m = after.length - prefix - suffix
  const middle = n * m <= MAX_LCS_CELLS ? middleSubsequence(before, after, prefix, n, m) : []

  const pairs: AlignedPair[] = []
  for (let i = 0; i < prefix; i++) pairs.push([i, i])
  pairs.push(...middle)
  for (let i = suffix; i > 0; i--) pairs.push([before.length - i, after.length - i])
  return pairs
}

function middleSubsequence(
  before: readonly string[],
  after: readonly string[],
  offset: number,
  n: number,
  m: number
): AlignedPair[] {
  if (n === 0 || m === 0) return []
  // lengths[i * (m + 1) + j]: LCS length of before[i..n) and after[j..m) (relative to offset).
  const width = m + 1
  const lengths = new Uint32Array((n + 1) * width)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        before[offset + i] === after[offset + j]
          ? lengths[(i + 1) * width + j + 1] + 1
          : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
    }
  }
  const pairs: AlignedPair[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (before[offset + i] === after[offset + j]) {
      pairs.push([offset + i++, offset + j++])
    } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) i++
    else j++
  }
  return pairs
}

export { jsonEqual } from '../plan/json-value.js'
