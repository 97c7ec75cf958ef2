import { describe, expect, it } from '@jest/globals'
import * as core from '@actions/core'
import fetch from 'node-fetch'
import type { PlanModel } from '../src/plan/model.js'

describe('toolchain', () => {
  it('loads ESM deps', () => {
    const m: Partial<PlanModel> = { hasChanges: false }
    expect(typeof core.getInput).toBe('function')
    expect(typeof fetch).toBe('function')
    expect(m.hasChanges).toBe(false)
  })
})
