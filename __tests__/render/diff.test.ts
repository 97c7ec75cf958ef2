import { describe, expect, it } from '@jest/globals'
import { renderOutputsDiff, renderResourceDiff } from '../../src/render/diff.js'
import { output, resource } from '../fixtures/render-fixtures.js'

const lines = (...text: string[]): string => text.join('\n')

describe('renderResourceDiff: actions', () => {
  it('shows a create with unknown, sensitive and nested values, and no null attributes', () => {
    const diff = renderResourceDiff(
      resource('create', {
        before: null,
        after: {
          ami: 'ami-1',
          password: 'hunter2',
          tags: { env: 'prod' },
          blank: '',
          absent: null
        },
        after_unknown: { id: true, arn: true },
        after_sensitive: { password: true }
      })
    )
    expect(diff).toBe(
      lines(
        '+   resource "aws_instance" "web" {',
        '+       ami      = "ami-1"',
        '+       arn      = (known after apply)',
        '+       id       = (known after apply)',
        '+       password = (sensitive value)',
        '+       tags     = {',
        '+           env = "prod"',
        '        }',
        '    }'
      )
    )
  })

  it('shows a destroy with every value going to null', () => {
    const diff = renderResourceDiff(
      resource('delete', {
        before: { ami: 'ami-1', list: ['a'], tags: { env: 'prod' } },
        after: null
      })
    )
    expect(diff).toBe(
      lines(
        '-   resource "aws_instance" "web" {',
        '-       ami  = "ami-1" -> null',
        '-       list = [',
        '-           "a",',
        '        ] -> null',
        '-       tags = {',
        '-           env = "prod" -> null',
        '        } -> null',
        '    }'
      )
    )
  })

  it('hides unchanged attributes with a count but keeps identifying ones', () => {
    const before = { ami: 'a', id: 'i-1', name: 'n', size: 1, other: true, more: 'x' }
    const diff = renderResourceDiff(resource('update', { before, after: { ...before, ami: 'b' } }))
    expect(diff).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       ami   = "a" -> "b"',
        '        id    = "i-1"',
        '        name  = "n"',
        '        # (3 unchanged attributes hidden)',
        '    }'
      )
    )
  })

  it('marks what forces a replacement, with the order of the replace', () => {
    const change = {
      before: { ami: 'a', id: 'i-1' },
      after: { ami: 'b' },
      after_unknown: { id: true },
      replace_paths: [['ami']]
    }
    expect(renderResourceDiff(resource('replace', change))).toBe(
      lines(
        '-/+ resource "aws_instance" "web" {',
        '~       ami = "a" -> "b" # forces replacement',
        '~       id  = "i-1" -> (known after apply)',
        '    }'
      )
    )
    const createFirst = renderResourceDiff(
      resource('replace', change, { actions: ['create', 'delete'] })
    )
    expect(createFirst.split('\n')[0]).toBe('+/- resource "aws_instance" "web" {')
  })

  it('shows a data source read with <=', () => {
    const diff = renderResourceDiff(
      resource(
        'read',
        { before: null, after: { most_recent: true }, after_unknown: { id: true } },
        { mode: 'data', type: 'aws_ami', name: 'ubuntu' }
      )
    )
    expect(diff).toBe(
      lines(
        '<=  data "aws_ami" "ubuntu" {',
        '+       id          = (known after apply)',
        '+       most_recent = true',
        '    }'
      )
    )
  })

  it('shows a forget as no change to the object', () => {
    const diff = renderResourceDiff(resource('forget', { before: { id: 'x', a: 1 }, after: null }))
    expect(diff).toBe(
      lines(
        '.   resource "aws_instance" "web" {',
        '        id = "x"',
        '        # (1 unchanged attribute hidden)',
        '    }'
      )
    )
  })

  it('shows every attribute of an imported object', () => {
    const state = { id: 'i-1', ami: 'a', size: 2 }
    const diff = renderResourceDiff(
      resource('no-op', { before: state, after: state }, { importing: { id: 'i-1' } })
    )
    expect(diff).toBe(
      lines(
        '    resource "aws_instance" "web" {',
        '        ami  = "a"',
        '        id   = "i-1"',
        '        size = 2',
        '    }'
      )
    )
  })
})

describe('renderResourceDiff: values', () => {
  it('shows lists of values with one unchanged element of context on each side', () => {
    const diff = renderResourceDiff(
      resource('update', {
        before: { l: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] },
        after: { l: ['a', 'b', 'c', 'e', 'f', 'g'] }
      })
    )
    expect(diff).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       l = [',
        '            # (2 unchanged elements hidden)',
        '            "c",',
        '-           "d",',
        '            "e",',
        '            # (2 unchanged elements hidden)',
        '        ]',
        '    }'
      )
    )
  })

  it('compares lists of one length element by element, unless one reorders the other', () => {
    const changed = renderResourceDiff(
      resource('update', {
        before: { l: ['a', 'b', 'c', 'd', 'e', 'f'] },
        after: { l: ['a', 'b', 'c', 'X', 'e', 'f'] }
      })
    )
    expect(changed).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       l = [',
        '            # (2 unchanged elements hidden)',
        '            "c",',
        '~           "d" -> "X",',
        '            "e",',
        '            # (1 unchanged element hidden)',
        '        ]',
        '    }'
      )
    )
    const reordered = renderResourceDiff(
      resource('update', { before: { l: ['a', 'b', 'c'] }, after: { l: ['c', 'a', 'b'] } })
    )
    expect(reordered).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       l = [',
        '+           "c",',
        '            "a",',
        '            "b",',
        '-           "c",',
        '        ]',
        '    }'
      )
    )
  })

  it('pairs changed objects in lists (blocks and sets) and hides the unchanged ones', () => {
    const diff = renderResourceDiff(
      resource('update', {
        before: { rule: [{ port: 80 }, { port: 443, cidr: 'a' }] },
        after: { rule: [{ port: 80 }, { port: 8443, cidr: 'a' }] }
      })
    )
    expect(diff).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       rule = [',
        '~           {',
        '~               port = 443 -> 8443',
        '                # (1 unchanged attribute hidden)',
        '            },',
        '            # (1 unchanged element hidden)',
        '        ]',
        '    }'
      )
    )
  })

  it('shows map-like keys that are not identifiers quoted', () => {
    const diff = renderResourceDiff(
      resource('update', {
        before: { tags: { 'kubernetes.io/role': 'a' } },
        after: { tags: { 'kubernetes.io/role': 'b' } }
      })
    )
    expect(diff).toContain('~           "kubernetes.io/role" = "a" -> "b"')
  })

  it('shows a value that changes type', () => {
    const diff = renderResourceDiff(resource('update', { before: { v: 'x' }, after: { v: 5 } }))
    expect(diff).toContain('~       v = "x" -> 5')
  })

  it('shows the old value of something that becomes unknown', () => {
    const diff = renderResourceDiff(
      resource('update', {
        before: { v: 'old', o: { a: 1 } },
        after: {},
        after_unknown: { v: true, o: true }
      })
    )
    expect(diff).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       o = {',
        '-           a = 1 -> null',
        '        } -> (known after apply)',
        '~       v = "old" -> (known after apply)',
        '    }'
      )
    )
  })

  it('shows multi-line strings as heredocs with a line diff', () => {
    const diff = renderResourceDiff(
      resource('update', { before: { s: 'one\ntwo\nthree\n' }, after: { s: 'one\nthree\n' } })
    )
    expect(diff).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       s = <<-EOT',
        '            one',
        '-           two',
        '            three',
        '        EOT',
        '    }'
      )
    )
  })

  it('compares texts of as many lines line by line: a changed line is deleted, then created', () => {
    const diff = renderResourceDiff(
      resource('update', { before: { s: 'one\ntwo\nthree\n' }, after: { s: 'one\nTWO\nthree\n' } })
    )
    expect(diff).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       s = <<-EOT',
        '            one',
        '-           two',
        '+           TWO',
        '            three',
        '        EOT',
        '    }'
      )
    )
  })

  it('shows JSON strings as jsonencode() with the inner diff', () => {
    const diff = renderResourceDiff(
      resource('update', { before: { p: '{"a":1,"b":[1,2]}' }, after: { p: '{"a":2,"b":[1,2]}' } })
    )
    expect(diff).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       p = jsonencode(',
        '~           {',
        '~               a = 1 -> 2',
        '                # (1 unchanged attribute hidden)',
        '            }',
        '        )',
        '    }'
      )
    )
  })

  it("says when only a JSON string's whitespace changed", () => {
    const diff = renderResourceDiff(
      resource('update', { before: { p: '{"a":1}' }, after: { p: '{ "a": 1 }' } })
    )
    expect(diff).toContain('~       p = jsonencode( # whitespace changes')
    expect(diff).toContain('                a = 1')
  })

  it('shows a deleted JSON string with -> null after jsonencode() only', () => {
    const diff = renderResourceDiff(
      resource('update', { before: { p: '{"a":1}', id: 'x' }, after: { id: 'x' } })
    )
    expect(diff).toContain(
      lines(
        '-       p  = jsonencode(',
        '            {',
        '-               a = 1',
        '            }',
        '        ) -> null'
      )
    )
  })

  it('quotes control and reordering characters in strings', () => {
    const diff = renderResourceDiff(
      resource('create', { before: null, after: { v: 'a\u202Eb\u0000c"' } })
    )
    expect(diff).toContain('+       v = "a\\u202eb\\u0000c\\""')
  })
})

describe('renderResourceDiff: sensitive values', () => {
  it('masks sensitive leaves in nested objects and lists', () => {
    const diff = renderResourceDiff(
      resource('update', {
        before: { db: { user: 'admin', pass: 'old-secret' }, keys: ['k1', 'k2-secret'] },
        after: { db: { user: 'admin', pass: 'new-secret' }, keys: ['k1', 'k3-secret'] },
        before_sensitive: { db: { pass: true }, keys: [false, true] },
        after_sensitive: { db: { pass: true }, keys: [false, true] }
      })
    )
    expect(diff).not.toMatch(/secret/)
    expect(diff).toContain('~           pass = (sensitive value)')
    expect(diff).toContain('(sensitive value),')
  })

  it('hides a whole sensitive object', () => {
    const diff = renderResourceDiff(
      resource('update', {
        before: { a: 'secret-1' },
        after: { a: 'secret-2' },
        before_sensitive: true,
        after_sensitive: true
      })
    )
    expect(diff).not.toMatch(/secret/)
    expect(diff).toContain('# At least one attribute in this block is (or was) sensitive,')
  })

  it('warns when a value becomes sensitive and hides it', () => {
    const diff = renderResourceDiff(
      resource('update', {
        before: { a: 'secret', b: 'y' },
        after: { a: 'secret', b: 'z' },
        before_sensitive: {},
        after_sensitive: { a: true }
      })
    )
    expect(diff).toContain(
      '# Warning: this attribute value will be marked as sensitive and will not'
    )
    expect(diff).toContain('~       a = (sensitive value)')
    expect(diff).not.toContain('"secret"')
  })

  it('hides sensitive JSON and multi-line strings entirely', () => {
    const diff = renderResourceDiff(
      resource('create', {
        before: null,
        after: { policy: '{"token":"json-secret"}', script: 'line\nml-secret\n' },
        after_sensitive: { policy: true, script: true }
      })
    )
    expect(diff).not.toMatch(/secret/)
  })

  it('treats a mirror of the wrong shape as hiding everything', () => {
    const diff = renderResourceDiff(
      resource('create', {
        before: null,
        after: { list: ['shape-secret'] },
        after_sensitive: { list: { 0: true } }
      })
    )
    expect(diff).not.toContain('shape-secret')
    expect(diff).toContain('(sensitive value)')
  })
})

describe('renderOutputsDiff', () => {
  it('aligns names and masks sensitive outputs', () => {
    const diff = renderOutputsDiff([
      output('a', 'create', { before: null, after: 'x' }),
      output('secret', 'update', {
        before: 'p1',
        after: 'p2',
        before_sensitive: true,
        after_sensitive: true
      }),
      output('gone', 'delete', { before: { k: 'v' }, after: null }),
      output('later', 'create', { before: null, after: null, after_unknown: true })
    ])
    expect(diff).toBe(
      lines(
        '+   a      = "x"',
        '~   secret = (sensitive value)',
        '-   gone   = {',
        '-       k = "v"',
        '    } -> null',
        '+   later  = (known after apply)'
      )
    )
  })
  it('aligns names to every output of the plan, unchanged ones included', () => {
    const diff = renderOutputsDiff(
      [output('a', 'create', { before: null, after: 1 })],
      ['a', 'unchanged_name']
    )
    expect(diff).toBe('+   a              = 1')
  })

  it('shows a null member of an object output, as Terraform shows JSON values', () => {
    const diff = renderOutputsDiff([
      output('o', 'create', { before: null, after: { set: 1, unset: null } })
    ])
    expect(diff).toBe(lines('+   o = {', '+       set   = 1', '+       unset = null', '    }'))
  })
})
