// How much the renderers render for a big plan: each resource's diff at most once per process
// (the comment and the job summary share it), and none that the size budget could never keep.
import { describe, expect, it } from '@jest/globals'
import { renderComment, renderSummary } from '../../src/render/report.js'
import type { RenderOptions } from '../../src/render/report.js'
import type { ResourceChangeModel } from '../../src/plan/model.js'
import { model, resource, workspaceResult } from '../fixtures/render-fixtures.js'
import { expectWellFormed, visibleText } from './checks.js'

const COMMENT: RenderOptions = {
  marker: '<!-- tfc-plan-summary:prod: -->',
  details: true,
  maxLength: 65_536,
  summaryUrl: 'https://github.com/acme/infra/actions/runs/42'
}
const SUMMARY: RenderOptions = { details: true, maxLength: 1_000_000 }

/**
 * Resources whose diffs count how often they are rendered: the diff renderer reads a resource's
 * change exactly once per diff, and nothing else reads the change of a created resource.
 */
function countedResources(
  n: number,
  dataSize: number
): { resources: ResourceChangeModel[]; renders: () => number } {
  let renders = 0
  const resources = Array.from({ length: n }, (_, i) => {
    const created = resource(
      'create',
      { before: null, after: { id: `i-${i}`, data: 'x'.repeat(dataSize) } },
      { name: `r${i}` }
    )
    const { change } = created
    Object.defineProperty(created, 'change', {
      get: () => {
        renders++
        return change
      }
    })
    return created
  })
  return { resources, renders: () => renders }
}

describe('rendering a big plan', () => {
  it('renders each diff once for both the comment and the summary', () => {
    const { resources, renders } = countedResources(50, 100)
    const result = workspaceResult({ model: model({ resources }) })
    const comment = renderComment([result], COMMENT)
    expect(renders()).toBe(50)
    const summary = renderSummary([result], SUMMARY)
    expect(renders()).toBe(50)
    // Both show every diff: the plan fits.
    for (const document of [comment, summary]) expect(document.split('```diff')).toHaveLength(51)
  })

  it('renders no diff when the headlines alone are over the limit, and still fits', () => {
    const { resources, renders } = countedResources(2000, 100)
    const result = workspaceResult({ model: model({ resources }) })
    const comment = renderComment([result], COMMENT)
    expect(comment.length).toBeLessThanOrEqual(COMMENT.maxLength)
    expect(renders()).toBe(0)
    expect(visibleText(comment)).toContain('2000 resources; the list was left out to fit.')
    expect(visibleText(comment)).toContain("This comment was shortened to fit GitHub's size limit")
    expectWellFormed(comment)
  })

  it('renders diffs only up to twice the room; those not rendered keep their headlines', () => {
    const { resources, renders } = countedResources(300, 3000)
    const result = workspaceResult({ model: model({ resources }) })
    const comment = renderComment([result], COMMENT)
    expect(comment.length).toBeLessThanOrEqual(COMMENT.maxLength)
    // About 3,100 characters each, in about 40,000 of room: some 25 to 27 rendered.
    expect(renders()).toBeGreaterThan(20)
    expect(renders()).toBeLessThan(40)
    const shown = comment.split('```diff').length - 1
    expect(shown).toBeGreaterThan(5)
    expect(shown).toBeLessThan(renders())
    // The first diffs are kept; the last resource, never rendered, keeps its headline.
    expect(comment).toContain('<details><summary><code>aws_instance.r0</code> will be created')
    expect(comment).toContain('- <code>aws_instance.r299</code> will be created')
    expect(visibleText(comment)).toContain("This comment was shortened to fit GitHub's size limit")
    expectWellFormed(comment)
  })
})
