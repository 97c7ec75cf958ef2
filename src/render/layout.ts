// Layout primitives shared by the renderers of a workspace, of its run checks and of whole reports.
import { masked } from './markdown.js'

/** How much a section shows: everything, or a compact form when the size budget is tight. */
export type Detail = 'full' | 'compact'

/** Longest address or name shown; longer ones are cut in the middle so lists stay bounded. */
const MAX_INLINE = 300

/** A block of Markdown, with the blank line that ends it. */
export function block(markdown: string): string {
  return `${markdown}\n\n`
}

/**
 * Cuts overlong inline text in the middle, where it hurts least. Masks first: a value cut in two
 * would no longer match its mask.
 */
export function clip(text: string, max = MAX_INLINE): string {
  if (text.length <= max) return text
  text = masked(text)
  if (text.length <= max) return text
  const half = Math.floor((max - 1) / 2)
  return `${text.slice(0, half)}…${text.slice(text.length - half)}`
}
