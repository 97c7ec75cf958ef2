// Durations as people write them in workflow files: 90s, 15m, 1h, 1h30m, or plain seconds.

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000 } as const

/** Units in descending order, each at most once: `1h30m`, `2m30s`, `45s`. */
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/

/** Milliseconds for `text`, or undefined when it is not a duration. Zero is returned as 0. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * UNIT_MS.s
  const match = DURATION.exec(trimmed)
  if (!match || trimmed === '') return undefined
  const [, hours = '0', minutes = '0', seconds = '0'] = match
  return Number(hours) * UNIT_MS.h + Number(minutes) * UNIT_MS.m + Number(seconds) * UNIT_MS.s
}
