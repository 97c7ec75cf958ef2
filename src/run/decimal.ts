// Exact sums and comparisons of the decimal strings HCP Terraform reports costs in ("25.488"):
// floating point would turn 0.1 + 0.2 into 0.30000000000000004.

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/

interface Scaled {
  /** The value times 10^scale. */
  units: bigint
  scale: number
}

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text.trim())
}

function parse(text: string): Scaled {
  const match = DECIMAL.exec(text.trim())
  if (!match) throw new Error(`"${text}" is not a decimal number.`)
  const [, sign, whole, fraction = ''] = match
  const units = BigInt(`${whole}${fraction}`)
  return { units: sign === '-' ? -units : units, scale: fraction.length }
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale)
}

function format(units: bigint, scale: number): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : ''
  return `${negative ? '-' : ''}${whole}${fraction}`
}

/** The exact sum, with as many decimals as the most precise term; "0" for no terms. */
export function sumDecimals(terms: readonly string[]): string {
  const parsed = terms.map(parse)
  const scale = Math.max(0, ...parsed.map(value => value.scale))
  const total = parsed.reduce((sum, value) => sum + rescale(value, scale), 0n)
  return format(total, scale)
}

/** Negative, zero or positive as a is less than, equal to or greater than b. */
export function compareDecimals(a: string, b: string): number {
  const left = parse(a)
  const right = parse(b)
  const scale = Math.max(left.scale, right.scale)
  const difference = rescale(left, scale) - rescale(right, scale)
  return difference < 0n ? -1 : difference > 0n ? 1 : 0
}
