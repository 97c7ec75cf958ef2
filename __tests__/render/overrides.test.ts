import { describe, expect, it } from '@jest/globals'
import { howToWaive, waiverText } from '../../src/render/overrides.js'
import type { GateTrip, WaiveRoute } from '../../src/result.js'
import { renderComment } from '../../src/render/report.js'
import { workspaceResult } from '../fixtures/render-fixtures.js'

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

describe('the gates in a comment', () => {
  const destroy: GateTrip = {
    condition: 'destroy',
    message: '1 resource would be destroyed',
    addresses: ['aws_db_instance.main']
  }
  const waiver = { by: 'alice', how: 'approval' as const, commit: 'a'.repeat(40) }

  it('puts the way to waive above the address list, not inside its last item', () => {
    const text = renderComment([workspaceResult({ gates: [destroy], waiveRoute: ROUTE })], {
      details: false,
      maxLength: 65536
    })
    const lines = text.split('\n')
    const hint = lines.findIndex(line => line.includes('To waive'))
    const address = lines.findIndex(line => line.startsWith('> - ') && line.includes('aws_db'))
    expect(hint).toBeGreaterThan(0)
    expect(hint).toBeLessThan(address)
    expect(lines[hint - 1]).toMatch(/Gate tripped: destroy.*<br>$/)
  })

  it('shows a waived gate as waived in the title, the alert and the overview', () => {
    const waived = workspaceResult({ waived: [{ ...destroy, waiver }], waiveRoute: ROUTE })
    const one = shown(renderComment([waived], { details: false, maxLength: 65536 })) ?? ''
    expect(one).toContain('merge gate waived')
    expect(one).toContain('Gate waived: destroy')
    expect(one).not.toContain('⛔')
    const several = renderComment([waived, workspaceResult({ workspace: 'staging' })], {
      details: false,
      maxLength: 65536
    })
    expect(several).toContain('gate waived: destroy')
  })
})
