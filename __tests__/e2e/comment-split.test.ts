// comment-overflow: split, end to end: a plan too long for one comment continues in further sticky
// comments, which are edited in place when the plan grows and deleted when it shrinks; comments of
// anyone else are never touched.
import { describe, expect, it } from '@jest/globals'
import { plainText, useWorld } from './world.js'
import type { World } from './world.js'

/** A plan updating `resources` buckets with long descriptions: about 60 fill one comment. */
function bucketsPlan(resources: number): object {
  const description = (i: number, version: string) =>
    `Bucket ${i} keeps the build artifacts of service ${i}, ${version}. `.repeat(4)
  return {
    format_version: '1.2',
    terraform_version: '1.9.5',
    resource_changes: Array.from({ length: resources }, (_, i) => ({
      address: `aws_s3_bucket.artifacts_${i}`,
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: `artifacts_${i}`,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['update'],
        before: { bucket: `artifacts-${i}`, description: description(i, 'first edition') },
        after: { bucket: `artifacts-${i}`, description: description(i, 'second edition') },
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: {}
      }
    })),
    applyable: true,
    complete: true,
    errored: false
  }
}

const PART_MARKER = /^<!-- tfc-plan-summary:\S*%23part-(\d+):/

/** Our comments on the pull request, oldest first: the first part, then parts 2, 3 … */
function ourComments(world: World) {
  return world.prComments().filter(comment => comment.body.startsWith('<!-- tfc-plan-summary:'))
}

describe('comment-overflow: split', () => {
  const world = useWorld()
  const push = (resources: number) =>
    world().run({
      'run-id': world().tfc.addRun({ workspace: 'network', planJson: bucketsPlan(resources) }).id,
      'comment-overflow': 'split'
    })

  it('continues a long plan in further comments, grows them in place and deletes what is no longer needed', async () => {
    const first = await push(120)
    expect(first.code).toBe(0)
    const before = ourComments(world())
    expect(before.length).toBeGreaterThanOrEqual(2)
    for (const [index, comment] of before.entries()) {
      expect(comment.body.length).toBeLessThanOrEqual(65_536)
      if (index > 0) {
        expect(comment.body).toMatch(PART_MARKER)
        expect(comment.body).toContain(`Part ${index + 1} of ${before.length}`)
      }
    }
    // The record line stays on the first part, the one whose ID is the output.
    expect(before[0].body.split('\n').at(-1)).toMatch(/^<!-- /)
    expect(first.outputs['comment-id']).toBe(String(before[0].id))
    // The whole plan is shown across the parts: nothing was given up.
    const shown = plainText(before.map(comment => comment.body).join('\n'))
    for (const i of [0, 60, 119]) expect(shown).toContain(`aws_s3_bucket.artifacts_${i}`)
    expect(shown).not.toContain('was shortened')
    // Every part is balanced Markdown: a details block opened in it is closed in it.
    for (const comment of before) {
      const opened = comment.body.match(/^<details/gm)?.length ?? 0
      expect(comment.body.match(/^<\/details>/gm)?.length ?? 0).toBe(opened)
    }

    const grown = await push(200)
    expect(grown.code).toBe(0)
    const more = ourComments(world())
    expect(more.length).toBeGreaterThan(before.length)
    // Edited in place: the earlier parts keep their IDs.
    expect(more.slice(0, before.length).map(c => c.id)).toEqual(before.map(c => c.id))
    expect(plainText(more.map(c => c.body).join('\n'))).toContain('aws_s3_bucket.artifacts_199')

    // Somebody else posts a comment that looks like one of our parts: it is not ours to delete.
    const lookalike = world().github.addComment(7, more[1].body, 'someone')

    const shrunk = await push(5)
    expect(shrunk.code).toBe(0)
    const after = ourComments(world())
    expect(after.map(c => c.id)).toEqual([more[0].id, lookalike.id])
    expect(after[0].body).not.toContain('Part ')
    expect(shrunk.log).toMatch(/Deleted \d+ comment parts no longer needed/)
  }, 60_000)
})
