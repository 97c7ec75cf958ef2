// Diffs read with the provider schemas, end to end: HCP Terraform serves them only in the redacted
// JSON plan, so an admin token (full plan) and a token that may only read (redacted plan) must get
// the same comment, blocks shown as blocks and maps with quoted keys.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { everythingShown, fixture, plainText, useWorld } from './world.js'

const PLAN = fixture('plan-blocks.json')
const SCHEMAS = JSON.parse(readFileSync(fixture('schemas-blocks.json'), 'utf8'))
/** The schema marks auth_token sensitive; the plan's own marks do not. */
const SCHEMA_SENSITIVE = ['e2e-Schema-Sensitive-4410', 'e2e-Schema-Sensitive-9926']

describe('diffs with the provider schemas', () => {
  const world = useWorld()

  it('read the same for an admin token and a token that may only read the redacted plan', async () => {
    const run = world().tfc.addRun({
      workspace: 'network',
      organization: 'acme',
      planJson: PLAN,
      providerSchemas: SCHEMAS
    })

    const admin = await world().run({ 'run-id': run.id })
    const adminComment = world().prComments()[0].body
    const reader = await world().run({ 'run-id': run.id, token: world().tfc.tokens.read ?? '' })
    const readerComment = world().prComments()[0].body

    expect([admin.code, reader.code]).toEqual([0, 0])
    expect(readerComment).toBe(adminComment)
    const redacted = world().tfc.requests.filter(req => req.path.endsWith('/json-output-redacted'))
    expect(redacted).toHaveLength(2)
    const body = plainText(adminComment)
    expect(body).toContain('"team" = "platform" -> "network"')
    expect(body).toMatch(/^- +ingress \{$/m)
    expect(body).toMatch(/^\+ +ingress \{$/m)
    expect(body).toContain('# (1 unchanged block hidden)')
    expect(body).toMatch(/^~ +auth_token {2}= \(sensitive value\)$/m)
    const shown = everythingShown(world())
    for (const secret of SCHEMA_SENSITIVE) expect(shown).not.toContain(secret)
  })

  it('read the same when only the end of the redacted plan is asked for, from a temporary URL', async () => {
    const inline = world().tfc.addRun({
      workspace: 'network',
      planJson: PLAN,
      providerSchemas: SCHEMAS
    })
    await world().run({ 'run-id': inline.id })
    const inlineComment = world().prComments()[0].body
    const redirected = world().tfc.addRun({
      workspace: 'network',
      planJson: PLAN,
      providerSchemas: SCHEMAS,
      redactedVia: 'redirect'
    })

    const step = await world().run({ 'run-id': redirected.id })

    expect(step.code).toBe(0)
    // The hidden record line names each run's own plan: the report above it must read the same.
    const report = (body: string): string =>
      body.slice(0, body.lastIndexOf('\n<!-- tfc-plan-summary-record '))
    expect(report(world().prComments()[0].body)).toBe(
      report(inlineComment).replaceAll(inline.id, redirected.id)
    )
    const archivist = world().tfc.requests.filter(req => req.origin === world().tfc.archivistUrl)
    expect(archivist.map(req => req.headers.range).filter(Boolean)).toEqual([`bytes=-${16 << 20}`])
  })

  it('fall back to the full plan alone when the redacted plan cannot be had', async () => {
    const run = world().tfc.addRun({
      workspace: 'network',
      organization: 'acme',
      planJson: PLAN,
      redactedJson: null
    })

    const step = await world().run({ 'run-id': run.id })

    expect(step.code).toBe(0)
    const body = plainText(world().prComments()[0].body)
    expect(body).toContain('aws_security_group.web')
    expect(body).toMatch(/^~ +ingress += \[$/m)
  })
})
