import { describe, expect, it } from '@jest/globals'
import { howToWaive, waiverText } from '../../src/render/overrides.js'
import type { GateTrip, WaiveRoute } from '../../src/result.js'

const DESTROY: GateTrip = { condition: 'destroy', message: '1 resource', addresses: [] }
const ROUTE: WaiveRoute = {
  conditions: ['destroy'],
  approvers: ['@alice', '@octo-org/platform'],
  label: 'allow'
}

/** As a reader sees it: references decoded, joiners and code tags gone. */
function shown(markdown: string | undefined): string | undefined {
  return markdown
    ?.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/\u200d/g, '')
    .replace(/<\/?code>/g, '')
}

describe('waiverText', () => {
  it('names the approver and the short commit, without a live @mention', () => {
    const text = waiverText({ by: 'alice', how: 'approval', commit: 'abcdef0123'.repeat(4) })
    expect(shown(text)).toBe('waived: @alice approved abcdef0')
    expect(text).not.toContain('@alice')
  })

  it('names the label, escaped', () => {
    const text = waiverText({ by: 'dave', how: 'label', label: 'ok <b>`x`</b>' })
    expect(text).not.toContain('<b>')
    expect(shown(text)).toContain('waived: @dave added the label')
  })
})

describe('howToWaive', () => {
  it.each([
    [ROUTE, '@alice or a member of @octo-org/platform can approve, or add the label allow'],
    [
      { ...ROUTE, label: undefined },
      '@alice or a member of @octo-org/platform can approve the head commit'
    ],
    [{ ...ROUTE, approvers: [] }, 'someone with write access can add the label allow']
  ])('says who can waive (%#)', (route, who) => {
    expect(shown(howToWaive(DESTROY, route))).toBe(
      `To waive: ${who} (not the pull request's author).`
    )
  })

  it('sends failed mandatory policies and run tasks to HCP Terraform', () => {
    for (const condition of ['policy', 'run-task'] as const) {
      expect(howToWaive({ ...DESTROY, condition }, ROUTE)).toContain('override in HCP Terraform')
    }
  })

  it('says nothing for a condition outside override-for, or without overrides', () => {
    expect(howToWaive({ ...DESTROY, condition: 'errored' }, ROUTE)).toBeUndefined()
    expect(howToWaive({ ...DESTROY, condition: 'replace' }, ROUTE)).toBeUndefined()
    expect(howToWaive(DESTROY, undefined)).toBeUndefined()
    expect(howToWaive(DESTROY, { conditions: ['destroy'], approvers: [] })).toBeUndefined()
  })
})
