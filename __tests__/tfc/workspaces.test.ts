import { describe, expect, it } from '@jest/globals'
import { wildcardMatcher } from '../../src/tfc/workspaces.js'

describe('wildcardMatcher', () => {
  it.each([
    ['app-*', 'app-web', true],
    ['app-*', 'app-', true],
    ['app-*', 'my-app-web', false],
    ['*-prod', 'db-prod', true],
    ['*-prod', 'db-prod-2', false],
    ['app-*-prod', 'app-eu-west-prod', true],
    ['app-*-prod', 'app-prod', false],
    ['*', 'anything', true],
    ['exact', 'exact', true],
    ['exact', 'exactly', false]
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(wildcardMatcher(pattern)(name)).toBe(expected)
  })

  it('takes every character but * literally', () => {
    const matches = wildcardMatcher('a.b+(c)?[d]|e^$*')
    expect(matches('a.b+(c)?[d]|e^$-tail')).toBe(true)
    expect(matches('aXb+(c)?[d]|e^$')).toBe(false)
    expect(matches('a.bb(c)[d]|e^$')).toBe(false)
  })
})
