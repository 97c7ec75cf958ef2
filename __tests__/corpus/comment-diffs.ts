// Reading diffs back: Terraform's resource headlines in plan.txt, and the diffs under each
// resource's summary in a rendered comment.
import { visibleText } from '../render/checks.js'

/** `  # <address> will be ...`: the address and what happens to it. */
export const HEADLINE =
  /^ {2}# (\S+) (will be created|will be updated in-place|will be destroyed|must be replaced.*|is tainted, so must be replaced|will be replaced, as requested|will be replaced due to changes in replace_triggered_by|has moved to \S+|will be read during apply|will be imported|will no longer be managed by Terraform.*|will be removed from Terraform state.*|has changed|has been deleted)$/

/** The comment's resources: visible headline (summary text) → the diff under it. */
export function renderedDiffs(comment: string): Map<string, string> {
  const diffs = new Map<string, string>()
  const pattern = /<details><summary>(.*?)<\/summary>\n\n(`{3,})diff\n([\s\S]*?)\n\2\n/g
  for (const match of comment.matchAll(pattern)) diffs.set(visibleText(match[1]), match[3])
  return diffs
}
