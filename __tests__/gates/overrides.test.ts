import { describe, expect, it } from '@jest/globals'
import {
  applyOverrides,
  chooseWaiver,
  headApprovers,
  labelAdder,
  parseApprover
} from '../../src/gates/overrides.js'
import type { OverrideSettings, PullRequestEvidence, Review } from '../../src/gates/overrides.js'
import type { GateTrip } from '../../src/result.js'
import { workspaceResult } from '../fixtures/render-fixtures.js'

const HEAD = 'a'.repeat(40)
const OLDER = 'b'.repeat(40)
const LABEL = 'terraform-allow-destroy'

function evidence(extra: Partial<PullRequestEvidence> = {}): PullRequestEvidence {
  return { headSha: HEAD, author: 'octocat', reviews: [], labels: [], labelEvents: [], ...extra }
}

function review(login: string, state: string, commitId: string | null = HEAD): Review {
  return { login, state, commitId }
}

const SETTINGS: OverrideSettings = {
  approvers: [
    { kind: 'user', login: 'alice' },
    { kind: 'team', org: 'octo-org', slug: 'platform' }
  ],
  label: LABEL,
  waivable: ['destroy', 'replace']
}

function gate(condition: GateTrip['condition']): GateTrip {
  return { condition, message: `${condition} tripped`, addresses: [] }
}

describe('parseApprover', () => {
  it.each([
    ['alice', { kind: 'user', login: 'alice' }],
    ['@alice', { kind: 'user', login: 'alice' }],
    ['dependabot[bot]', { kind: 'user', login: 'dependabot[bot]' }],
    ['@octo-org/Platform', { kind: 'team', org: 'octo-org', slug: 'platform' }],
    ['octo-org/sre.team', { kind: 'team', org: 'octo-org', slug: 'sre.team' }]
  ])('reads %s', (text, approver) => {
    expect(parseApprover(text)).toEqual(approver)
  })

  it.each(['', '@', 'a b', '-alice', '@org/', 'a/b/c', 'x'.repeat(40)])('rejects %j', text => {
    expect(parseApprover(text)).toBeUndefined()
  })
})

describe('headApprovers', () => {
  it("counts each reviewer's latest deciding review, and only an approval of the head", () => {
    const reviews = [
      review('alice', 'APPROVED'),
      review('alice', 'COMMENTED'),
      review('bob', 'APPROVED'),
      review('bob', 'CHANGES_REQUESTED'),
      review('carol', 'APPROVED', OLDER),
      review('dave', 'DISMISSED'),
      review('erin', 'CHANGES_REQUESTED'),
      review('erin', 'APPROVED'),
      review('frank', 'PENDING'),
      review('gina', 'APPROVED', null)
    ]
    expect(headApprovers(evidence({ reviews }))).toEqual(['alice', 'erin'])
  })

  it('cancels an approval that was dismissed later (GitHub marks the review DISMISSED)', () => {
    expect(headApprovers(evidence({ reviews: [review('alice', 'DISMISSED')] }))).toEqual([])
  })

  it('compares logins and commits without case, and never counts the author', () => {
    const reviews = [review('Alice', 'APPROVED', HEAD.toUpperCase()), review('OctoCat', 'APPROVED')]
    expect(headApprovers(evidence({ reviews }))).toEqual(['Alice'])
  })
})

describe('labelAdder', () => {
  const added = (actor: string) => ({ event: 'labeled' as const, label: LABEL, actor })

  it('is the actor of the latest labeled event while the label is on', () => {
    const labelEvents = [
      added('erin'),
      { ...added('erin'), event: 'unlabeled' as const },
      added('dave')
    ]
    expect(labelAdder(evidence({ labels: [LABEL], labelEvents }), LABEL)).toBe('dave')
  })

  it('is nobody when the label is off, or the author added it last', () => {
    expect(
      labelAdder(evidence({ labels: [], labelEvents: [added('dave')] }), LABEL)
    ).toBeUndefined()
    const byAuthor = evidence({ labels: [LABEL], labelEvents: [added('dave'), added('octocat')] })
    expect(labelAdder(byAuthor, LABEL)).toBeUndefined()
  })

  it('ignores events of other labels', () => {
    const labelEvents = [
      added('dave'),
      { event: 'labeled' as const, label: 'other', actor: 'erin' }
    ]
    expect(labelAdder(evidence({ labels: [LABEL, 'other'], labelEvents }), LABEL)).toBe('dave')
  })
})

describe('chooseWaiver', () => {
  const allowed = (logins: string[]) => (login: string) => logins.includes(login)

  it('takes an allowed approval first, with the head commit', () => {
    const found = evidence({
      reviews: [review('mallory', 'APPROVED'), review('alice', 'APPROVED')],
      labels: [LABEL],
      labelEvents: [{ event: 'labeled', label: LABEL, actor: 'alice' }]
    })
    expect(chooseWaiver(found, SETTINGS, allowed(['alice']))).toEqual({
      by: 'alice',
      how: 'approval',
      commit: HEAD
    })
  })

  it('falls back to the label, asking about the approvers, then its adder', () => {
    const found = evidence({
      reviews: [review('mallory', 'APPROVED')],
      labels: [LABEL],
      labelEvents: [{ event: 'labeled', label: LABEL, actor: 'dave' }]
    })
    const asked: string[] = []
    const waiver = chooseWaiver(found, SETTINGS, login => {
      asked.push(login)
      return login === 'dave'
    })
    expect(waiver).toEqual({ by: 'dave', how: 'label', label: LABEL })
    expect(asked).toEqual(['mallory', 'dave'])
  })

  it('ignores the label when override-label is not set', () => {
    const found = evidence({
      labels: [LABEL],
      labelEvents: [{ event: 'labeled', label: LABEL, actor: 'dave' }]
    })
    expect(chooseWaiver(found, { ...SETTINGS, label: undefined }, () => true)).toBeUndefined()
  })

  it('finds nothing when no candidate is allowed', () => {
    const found = evidence({ reviews: [review('mallory', 'APPROVED')] })
    expect(chooseWaiver(found, SETTINGS, allowed([]))).toBeUndefined()
  })
})

describe('applyOverrides', () => {
  const tripped = workspaceResult({ gates: [gate('destroy'), gate('policy'), gate('changes')] })

  it('moves only the waivable gates, keeping the rest failing', () => {
    const waiver = { by: 'alice', how: 'approval' as const, commit: HEAD }
    const result = applyOverrides(tripped, SETTINGS, waiver)
    expect(result.gates.map(g => g.condition)).toEqual(['policy', 'changes'])
    expect(result.waived).toEqual([{ ...gate('destroy'), waiver }])
    expect(tripped.gates).toHaveLength(3)
  })

  it('waives nothing without a waiver, but says how to waive', () => {
    const result = applyOverrides(tripped, SETTINGS, undefined)
    expect(result.gates).toEqual(tripped.gates)
    expect(result.waived).toEqual([])
    expect(result.waiveRoute).toEqual({
      conditions: ['destroy', 'replace'],
      approvers: ['@alice', '@octo-org/platform'],
      label: LABEL
    })
  })
})
