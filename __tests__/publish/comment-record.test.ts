import { describe, expect, it } from '@jest/globals'
import { commentRecordLine, readCommentRecord, recordOf } from '../../src/publish/comment-record.js'
import type { CommentRecord } from '../../src/publish/comment-record.js'
import { commentMarker, hasCommentMarkerFor } from '../../src/render/markdown.js'
import type { WorkspaceResult } from '../../src/result.js'
import { modelFromApiCounts } from '../../src/plan/model.js'

function result(fields: Partial<WorkspaceResult>): WorkspaceResult {
  return {
    hostname: 'app.terraform.io',
    planId: 'plan-aaaaaaaaaaaaaaaa',
    status: 'finished',
    model: modelFromApiCounts({ add: 0, change: 0, destroy: 0 }, false),
    diagnostics: [],
    gates: [],
    warnings: [],
    ...fields
  }
}

describe('the comment record', () => {
  it('reads back what it recorded: the commit (lower case) and every run', () => {
    const record = recordOf(
      [
        result({ organization: 'acme', workspace: 'net', runId: 'run-1', planId: 'plan-1' }),
        result({ planId: 'plan-2' })
      ],
      'ABCDEF0123'
    )
    const body = `${commentMarker('net', '')}\n## report\n${commentRecordLine(record)}`
    expect(readCommentRecord(body)).toEqual({
      commit: 'abcdef0123',
      runs: [
        { key: 'net', organization: 'acme', workspace: 'net', runId: 'run-1', planId: 'plan-1' },
        { key: 'plan-2', planId: 'plan-2' }
      ]
    })
  })

  it('keeps values that could end the HTML comment inside it', () => {
    const record: CommentRecord = { runs: [{ key: 'a-->b<c>&d', planId: 'plan--> x' }] }
    const line = commentRecordLine(record)
    const json = line.slice('<!-- tfc-plan-summary-record '.length, -' -->'.length)
    expect(json).not.toMatch(/-->|[<>&]/)
    expect(line).toBe(`<!-- tfc-plan-summary-record ${json} -->`)
    expect(readCommentRecord(`text\n${line}`)).toEqual(record)
  })

  it('is undefined for a body without a record, or with a broken one', () => {
    expect(readCommentRecord('## just a report')).toBeUndefined()
    expect(readCommentRecord('<!-- tfc-plan-summary-record {"runs": -->')).toBeUndefined()
    expect(
      readCommentRecord('<!-- tfc-plan-summary-record {"runs":[{"key":1}]} -->')
    ).toBeUndefined()
    expect(readCommentRecord('<!-- tfc-plan-summary-record {"runs":[{"key":"k"}] ')).toBeUndefined()
  })
})

describe('hasCommentMarkerFor', () => {
  it('matches our markers of that label whatever the workspace, and nothing else', () => {
    expect(hasCommentMarkerFor(`${commentMarker('net', 'prod')}\nbody`, 'prod')).toBe(true)
    expect(hasCommentMarkerFor(`${commentMarker('combined', 'prod')}\nbody`, 'prod')).toBe(true)
    expect(hasCommentMarkerFor(`${commentMarker('net', 'staging')}\nbody`, 'prod')).toBe(false)
    expect(hasCommentMarkerFor(`${commentMarker('net', '')}\nbody`, 'prod')).toBe(false)
    expect(hasCommentMarkerFor(`hello\n${commentMarker('net', 'prod')}`, 'prod')).toBe(false)
  })
})
