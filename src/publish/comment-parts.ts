// The sticky comment of a group of results as GitHub receives it: one body, or (comment-overflow:
// split) parts each under its own marker, the record line on the first. Which parts a shorter
// comment no longer needs is told by their markers.
import type { CommentOverflow } from '../settings.js'
import type { WorkspaceResult } from '../result.js'
import { commentMarker, renderComment } from '../render/report.js'
import type { RenderOptions } from '../render/report.js'
import { MAX_COMMENT_PARTS, commentPartMarker, renderCommentParts } from '../render/split.js'

/** GitHub rejects comment bodies longer than this. */
export const COMMENT_LIMIT = 65536
/** Room for a part's marker beside the first part's (" #part-10", encoded). */
const PART_MARKER_ROOM = 16

export interface CommentPart {
  marker: string
  body: string
}

export interface CommentBodiesRequest {
  group: WorkspaceResult[]
  /** `workspaceKey` of a single result, or `combined`. */
  key: string
  overflow: CommentOverflow
  /** The hidden record line, kept on the first part. */
  record: string
  options: Omit<RenderOptions, 'maxLength' | 'marker'>
}

export function commentBodies({
  group,
  key,
  overflow,
  record,
  options
}: CommentBodiesRequest): CommentPart[] {
  const label = options.label ?? ''
  const marker = commentMarker(key, label)
  const roomForRecord = record.length + 1
  if (overflow === 'summary') {
    const report = renderComment(group, {
      ...options,
      marker,
      maxLength: COMMENT_LIMIT - roomForRecord
    })
    return [{ marker, body: `${report}\n${record}` }]
  }
  const maxLength = COMMENT_LIMIT - roomForRecord - (marker.length + PART_MARKER_ROOM + 1)
  return renderCommentParts(group, { ...options, maxLength }).map((part, index) => {
    if (index === 0) return { marker, body: `${marker}\n${part}\n${record}` }
    const partMarker = commentPartMarker(key, label, index + 1)
    return { marker: partMarker, body: `${partMarker}\n${part}` }
  })
}

/** The markers of the parts after the first `count`: comments under them are no longer needed. */
export function partMarkersAfter(key: string, label: string, count: number): Set<string> {
  const markers = new Set<string>()
  for (let part = Math.max(2, count + 1); part <= MAX_COMMENT_PARTS; part++) {
    markers.add(commentPartMarker(key, label, part))
  }
  return markers
}
