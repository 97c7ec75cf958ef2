import { describe, expect, it } from '@jest/globals'
import { errorMessage } from '../../src/util/error-message.js'

describe('errorMessage', () => {
  it("gives an Error's message, and anything else thrown as text", () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input')
    expect(errorMessage('plain text')).toBe('plain text')
    expect(errorMessage(42)).toBe('42')
    expect(errorMessage(undefined)).toBe('undefined')
  })
})
