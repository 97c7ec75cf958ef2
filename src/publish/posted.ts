// What publishing wrote to the pull request, per workspace: the outputs report it.
import type { WorkspaceResult } from '../result.js'

/** A comment written (created or updated) on the pull request. */
export interface PostedComment {
  id: number
  url: string
}

/** The comment each workspace's result is shown in; a combined comment serves all of them. */
export type PostedComments = ReadonlyMap<WorkspaceResult, PostedComment>
