import { describe, expect, it } from '@jest/globals'
import {
  describeDeferredChange,
  describeResourceChange,
  instanceKey
} from '../../src/render/headline.js'
import type { Headline, Phrase } from '../../src/render/headline.js'
import type { ResourceAction, ResourceChangeModel } from '../../src/plan/model.js'
import { resource } from '../fixtures/render-fixtures.js'

const text = (phrase: Phrase): string =>
  phrase.map(part => (typeof part === 'string' ? part : part.code)).join('')
const lines = (headline: Headline): string[] => [text(headline.phrase), ...headline.notes.map(text)]

function described(
  action: ResourceAction,
  extra: Partial<ResourceChangeModel> = {},
  cause: 'change' | 'drift' = 'change'
): string[] {
  return lines(describeResourceChange(resource(action, {}, extra), cause))
}

describe('describeResourceChange', () => {
  it.each<[ResourceAction, string | undefined, string]>([
    ['create', undefined, 'aws_instance.web will be created'],
    ['update', undefined, 'aws_instance.web will be updated in-place'],
    ['delete', undefined, 'aws_instance.web will be destroyed'],
    ['replace', undefined, 'aws_instance.web must be replaced'],
    ['replace', 'replace_because_cannot_update', 'aws_instance.web must be replaced'],
    ['replace', 'replace_because_tainted', 'aws_instance.web is tainted, so must be replaced'],
    ['replace', 'replace_by_request', 'aws_instance.web will be replaced, as requested'],
    [
      'replace',
      'replace_by_triggers',
      'aws_instance.web will be replaced due to changes in replace_triggered_by'
    ],
    ['read', undefined, 'aws_instance.web will be read during apply']
  ])('%s (%s): %s', (action, actionReason, expected) => {
    expect(described(action, actionReason ? { actionReason } : {})[0]).toBe(expected)
  })

  it('uses the drift words for changes made outside Terraform', () => {
    expect(described('update', {}, 'drift')[0]).toBe('aws_instance.web has changed')
    expect(described('delete', {}, 'drift')[0]).toBe('aws_instance.web has been deleted')
  })

  it.each([
    [
      'delete_because_no_resource_config',
      'aws_instance.web',
      '(because aws_instance.web is not in configuration)'
    ],
    [
      'delete_because_no_module',
      'module.gone.aws_instance.web',
      '(because module.gone is not in configuration)'
    ],
    [
      'delete_because_wrong_repetition',
      'aws_instance.web',
      '(because resource uses count or for_each)'
    ],
    [
      'delete_because_wrong_repetition',
      'aws_instance.web[0]',
      '(because resource does not use count)'
    ],
    [
      'delete_because_wrong_repetition',
      'aws_instance.web["a"]',
      '(because resource does not use for_each)'
    ],
    [
      'delete_because_count_index',
      'aws_instance.web[3]',
      '(because index [3] is out of range for count)'
    ],
    [
      'delete_because_each_key',
      'aws_instance.web["b]"]',
      '(because key ["b]"] is not in for_each map)'
    ]
  ])('explains a destroy: %s', (actionReason, address, note) => {
    const extra = { actionReason, address, moduleAddress: 'module.gone' }
    expect(described('delete', extra)).toEqual([`${address} will be destroyed`, note])
  })

  it('explains a destroy whose move target is gone', () => {
    const extra = {
      actionReason: 'delete_because_no_move_target',
      previousAddress: 'aws_instance.old'
    }
    expect(described('delete', extra)).toContain(
      '(because aws_instance.old was moved to aws_instance.web, which is not in configuration)'
    )
  })

  it.each([
    ['read_because_config_unknown', '(config refers to values not yet known)'],
    ['read_because_dependency_pending', '(depends on a resource or a module with changes pending)'],
    ['read_because_check_nested', '(config will be reloaded to verify a check block)']
  ])('explains a read: %s', (actionReason, note) => {
    expect(described('read', { actionReason })[1]).toBe(note)
  })

  it('describes moves, imports and forgets', () => {
    expect(described('no-op', { previousAddress: 'aws_instance.old' })).toEqual([
      'aws_instance.old has moved to aws_instance.web'
    ])
    expect(described('update', { previousAddress: 'aws_instance.old' })).toEqual([
      'aws_instance.web will be updated in-place',
      '(moved from aws_instance.old)'
    ])
    expect(described('no-op', { importing: { id: 'i-123' } })).toEqual([
      'aws_instance.web will be imported',
      '(import ID i-123)'
    ])
    expect(described('update', { importing: { id: 'i-123' } })).toEqual([
      'aws_instance.web will be updated in-place',
      '(imported from i-123)'
    ])
    expect(described('replace', { importing: {} })).toEqual([
      'aws_instance.web must be replaced',
      '(will be imported first)',
      'Warning: this will destroy the imported resource'
    ])
    expect(described('forget')).toEqual([
      'aws_instance.web will no longer be managed by Terraform, but will not be destroyed',
      '(destroy = false is set in the configuration)'
    ])
    expect(described('create-forget')[0]).toBe(
      'aws_instance.web must be replaced, but the existing object will not be destroyed'
    )
  })

  it('names deposed objects', () => {
    expect(described('delete', { deposed: 'abcd1234' })).toEqual([
      'aws_instance.web (deposed object abcd1234) will be destroyed',
      '(left over from a partially-failed replacement of this instance)'
    ])
  })

  it('keeps addresses apart from words', () => {
    const headline = describeResourceChange(resource('create'))
    expect(headline.phrase).toEqual([{ code: 'aws_instance.web' }, ' will be created'])
  })
})

describe('describeDeferredChange', () => {
  it("gives Terraform's reason", () => {
    const headline = describeDeferredChange({
      reason: 'instance_count_unknown',
      resource: resource('create')
    })
    expect(lines(headline)).toEqual([
      'aws_instance.web was deferred',
      '(because the number of resource instances is unknown)'
    ])
  })
})

describe('instanceKey', () => {
  it.each([
    ['a.b', undefined],
    ['a.b[0]', '0'],
    ['module.m["x"].a.b', undefined],
    ['module.m["x"].a.b["k[1]"]', '"k[1]"'],
    ['a.b["quote\\"]"]', '"quote\\"]"']
  ])('%s → %s', (address, key) => {
    expect(instanceKey(address)).toBe(key)
  })
})
