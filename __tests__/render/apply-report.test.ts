import { describe, expect, it } from '@jest/globals'
import { renderApplyComment, renderApplySummary } from '../../src/render/apply-report.js'
import { commentMarker } from '../../src/render/markdown.js'
import type { ApplyOutput } from '../../src/run/apply.js'
import { appliedResult } from '../fixtures/apply-fixtures.js'

const COMMIT = { sha: 'c'.repeat(40), url: 'https://github.com/o/r/commit/' + 'c'.repeat(40) }
const marker = commentMarker('apply:prod', '')

describe('the apply comment', () => {
  it('starts with its marker and names the result, the commit, the counts, the run and the outputs', () => {
    const body = renderApplyComment([appliedResult('prod', 'applied')], {
      marker,
      commit: COMMIT,
      maxLength: 65536
    })
    expect(body.startsWith(`${marker}\n`)).toBe(true)
    expect(body).toContain('Terraform apply: applied')
    expect(body).toContain('Apply complete! Resources: 2 added, 1 changed, 0 destroyed.')
    expect(body).toContain('<code>ccccccc</code>')
    expect(body).toContain('https://app.terraform.io/app/acme/prod/runs/run-AbCdEf0123456789')
    expect(body).toContain('| <code>db_password</code> | <i>(sensitive value)</i> |')
    expect(body).toContain('| <code>endpoint</code> | <code>https&#58;//api.example.com</code> |')
    // A successful apply does not list every resource.
    expect(body).not.toContain('### Resources')
  })

  it('escapes output values and names: no Markdown or HTML of theirs takes effect', () => {
    const hostile: ApplyOutput[] = [
      { name: 'x', sensitive: false, value: '</code><img src=x> | @team #1 <!-- -->' }
    ]
    const body = renderApplyComment([appliedResult('prod', 'applied', { outputs: hostile })], {
      marker,
      maxLength: 65536
    })
    expect(body).not.toContain('<img')
    expect(body.split('\n').filter(line => line.includes('<!--'))).toEqual([marker])
  })

  it('stays within the size limit with thousands of outputs and resources, saying it was shortened', () => {
    const outputs: ApplyOutput[] = Array.from({ length: 5000 }, (_, i) => ({
      name: `output_${i}`,
      sensitive: false,
      value: 'v'.repeat(500)
    }))
    const resources = Array.from({ length: 5000 }, (_, i) => ({
      address: `null_resource.r[${i}]`,
      action: 'create',
      outcome: 'complete' as const
    }))
    const result = appliedResult('prod', 'errored', { outputs, resources })
    for (const maxLength of [65536, 4000]) {
      const body = renderApplyComment([result], { marker, maxLength })
      expect(body.length).toBeLessThanOrEqual(maxLength)
      expect(body).toContain('Terraform apply: apply errored')
    }
    expect(renderApplyComment([result], { marker, maxLength: 4000 })).toContain('see the run')
  })

  it('combines several workspaces behind an overview table', () => {
    const summary = renderApplySummary(
      [appliedResult('prod', 'applied'), appliedResult('staging', 'awaiting-override')],
      { maxLength: 1_000_000 }
    )
    expect(summary).toContain('Terraform applies for 2 workspaces')
    expect(summary).toMatch(/\| Workspace \| Result \| Added \| Changed \| Destroyed \| Run \|/)
    expect(summary).toContain('awaits an override')
    expect(summary).not.toContain('<!--')
  })
})
