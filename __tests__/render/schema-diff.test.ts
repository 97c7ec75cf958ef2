// Terraform's rules for diffs read with a provider schema, one at a time, on hand-made schemas.
import { describe, expect, it } from '@jest/globals'
import { renderResourceDiff } from '../../src/render/diff.js'
import { resourceSchema } from '../../src/plan/schema.js'
import type { BlockSchema } from '../../src/plan/schema.js'
import type { JsonChange } from '../../src/plan/types.js'
import type { ResourceAction } from '../../src/plan/model.js'
import { resource } from '../fixtures/render-fixtures.js'

const lines = (...text: string[]): string => text.join('\n')

function diff(action: ResourceAction, change: Partial<JsonChange>, schema: BlockSchema): string {
  return renderResourceDiff(resource(action, change, { schema }))
}

const STRING = { type: 'string' }

describe('typed attributes', () => {
  it('quotes map keys and aligns them; a deleted entry takes -> null', () => {
    const schema = { attributes: { labels: { type: ['map', 'string'] } } }
    expect(
      diff(
        'update',
        {
          before: { labels: { a: '1', 'long-key': '2', gone: '3' } },
          after: { labels: { a: '1', 'long-key': '9', new: '4' } }
        },
        schema
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       labels = {',
        '-           "gone"     = "3" -> null',
        '~           "long-key" = "2" -> "9"',
        '+           "new"      = "4"',
        '            # (1 unchanged element hidden)',
        '        }',
        '    }'
      )
    )
  })

  it('shows the entries of a deleted map without -> null, and the map with it', () => {
    const schema = { attributes: { labels: { type: ['map', 'string'] }, id: STRING } }
    expect(
      diff(
        'update',
        { before: { id: 'i', labels: { a: '1' } }, after: { id: 'i', labels: null } },
        schema
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '        id     = "i"',
        '-       labels = {',
        '-           "a" = "1"',
        '        } -> null',
        '    }'
      )
    )
  })

  it('names object attributes bare, and a deleted one takes no -> null', () => {
    const schema = {
      attributes: { settings: { type: ['object', { size: 'number', mode: 'string' }] } }
    }
    expect(
      diff(
        'update',
        {
          before: { settings: { size: 1, mode: 'a' } },
          after: { settings: { size: 2, mode: null } }
        },
        schema
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       settings = {',
        '-           mode = "a"',
        '~           size = 1 -> 2',
        '        }',
        '    }'
      )
    )
  })

  it('shows sets without context: changed elements, then a count of the rest', () => {
    const schema = { attributes: { zones: { type: ['set', 'string'] } } }
    expect(
      diff(
        'update',
        { before: { zones: ['a', 'b', 'c'] }, after: { zones: ['a', 'c', 'd'] } },
        schema
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       zones = [',
        '-           "b",',
        '+           "d",',
        '            # (2 unchanged elements hidden)',
        '        ]',
        '    }'
      )
    )
  })

  it('shows lists with an unchanged element of context on each side', () => {
    const schema = { attributes: { order: { type: ['list', 'string'] } } }
    expect(
      diff(
        'update',
        { before: { order: ['a', 'b', 'c', 'd', 'e'] }, after: { order: ['a', 'b', 'c', 'e'] } },
        schema
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       order = [',
        '            # (2 unchanged elements hidden)',
        '            "c",',
        '-           "d",',
        '            "e",',
        '        ]',
        '    }'
      )
    )
  })

  it('reads empty strings as null in schemas of the old SDK, and not in others', () => {
    const legacy = { attributes: { note: STRING, id: STRING } }
    const change = { before: { id: 'i', note: '' }, after: { id: 'i', note: 'x' } }
    expect(diff('update', change, legacy)).toContain('+       note = "x"')
    const modern = {
      attributes: { ...legacy.attributes, meta: { type: ['object', { a: 'string' }] } }
    }
    expect(diff('update', change, modern)).toContain('~       note = "" -> "x"')
  })
})

describe('nested attributes', () => {
  const nested = (nesting_mode: 'single' | 'list' | 'set' | 'map') => ({
    attributes: {
      item: {
        nested_type: { nesting_mode, attributes: { number: { type: 'number' }, name: STRING } }
      }
    }
  })

  it('show a deleted attribute of a nested object with -> null', () => {
    expect(
      diff(
        'update',
        {
          before: { item: { number: 1, name: 'a' } },
          after: { item: { number: null, name: 'a' } }
        },
        nested('single')
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       item = {',
        '            name   = "a"',
        '-           number = 1 -> null',
        '        }',
        '    }'
      )
    )
  })

  it('key maps of nested objects quoted, not aligned, with a comma after each object', () => {
    expect(
      diff(
        'update',
        {
          before: { item: { k: { number: 1, name: 'a' }, longer: { number: 2, name: 'b' } } },
          after: { item: { k: { number: 3, name: 'a' }, longer: { number: 2, name: 'b' } } }
        },
        nested('map')
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       item = {',
        '~           "k" = {',
        '                name   = "a"',
        '~               number = 1 -> 3',
        '            },',
        '            # (1 unchanged element hidden)',
        '        }',
        '    }'
      )
    )
  })

  it('pair list elements by index and show no context', () => {
    expect(
      diff(
        'update',
        {
          before: { item: [{ number: 1 }, { number: 2 }, { number: 3 }] },
          after: { item: [{ number: 1 }, { number: 5 }, { number: 3 }, { number: 4 }] }
        },
        nested('list')
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       item = [',
        '~           {',
        '~               number = 2 -> 5',
        '            },',
        '+           {',
        '+               number = 4',
        '            },',
        '            # (2 unchanged elements hidden)',
        '        ]',
        '    }'
      )
    )
  })
})

describe('forced replacement', () => {
  it('is said by each element of a nested set, not by the set', () => {
    const schema = {
      attributes: {
        item: {
          nested_type: { nesting_mode: 'set' as const, attributes: { number: { type: 'number' } } }
        }
      }
    }
    expect(
      diff(
        'replace',
        {
          before: { item: [{ number: 1 }] },
          after: { item: [{ number: 2 }] },
          replace_paths: [['item']]
        },
        schema
      )
    ).toBe(
      lines(
        '-/+ resource "aws_instance" "web" {',
        '~       item = [',
        '-           { # forces replacement',
        '-               number = 1 -> null',
        '            },',
        '+           { # forces replacement',
        '+               number = 2',
        '            },',
        '        ]',
        '    }'
      )
    )
  })

  it('is said by a map of values itself', () => {
    const schema = { attributes: { labels: { type: ['map', 'string'] } } }
    const text = diff(
      'replace',
      {
        before: { labels: { a: '1' } },
        after: { labels: { a: '2' } },
        replace_paths: [['labels']]
      },
      schema
    )
    expect(text).toContain('~       labels = { # forces replacement')
  })
})

describe('nested blocks', () => {
  const rule = {
    attributes: { port: { type: 'number' }, cidr: STRING }
  }

  it('show changed list blocks as blocks and count the unchanged ones', () => {
    const schema = {
      attributes: { id: STRING },
      block_types: { rule: { nesting_mode: 'list' as const, block: rule } }
    }
    expect(
      diff(
        'update',
        {
          before: { id: 'i', rule: [{ port: 80 }, { port: 443 }, { port: 22 }] },
          after: { id: 'i', rule: [{ port: 80 }, { port: 8443 }, { port: 22 }] }
        },
        schema
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '        id = "i"',
        '',
        '~       rule {',
        '~           port = 443 -> 8443',
        '        }',
        '',
        '        # (2 unchanged blocks hidden)',
        '    }'
      )
    )
  })

  it('match set blocks by value: the old one deleted, the new one created', () => {
    const schema = { block_types: { rule: { nesting_mode: 'set' as const, block: rule } } }
    expect(
      diff(
        'update',
        { before: { rule: [{ port: 80, cidr: 'a' }] }, after: { rule: [{ port: 81, cidr: 'a' }] } },
        schema
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '-       rule {',
        '-           cidr = "a" -> null',
        '-           port = 80 -> null',
        '        }',
        '+       rule {',
        '+           cidr = "a"',
        '+           port = 81',
        '        }',
        '    }'
      )
    )
  })

  it('label map blocks with their quoted key, and show a single block by its name', () => {
    const schema = {
      block_types: {
        site: { nesting_mode: 'map' as const, block: rule },
        timeouts: { nesting_mode: 'single' as const, block: { attributes: { create: STRING } } }
      }
    }
    expect(
      diff(
        'update',
        {
          before: { site: { east: { port: 1 } }, timeouts: { create: '5m' } },
          after: { site: { east: { port: 2 } }, timeouts: { create: '9m' } }
        },
        schema
      )
    ).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       site "east" {',
        '~           port = 1 -> 2',
        '        }',
        '~       timeouts {',
        '~           create = "5m" -> "9m"',
        '        }',
        '    }'
      )
    )
  })

  it('say that a block is sensitive without showing any of it', () => {
    const schema = { block_types: { secret: { nesting_mode: 'list' as const, block: rule } } }
    const text = diff(
      'update',
      {
        before: { secret: [{ port: 1, cidr: 'hidden-before-value' }] },
        after: { secret: [{ port: 2, cidr: 'hidden-after-value' }] },
        before_sensitive: { secret: true },
        after_sensitive: { secret: true }
      },
      schema
    )
    expect(text).toContain('~       secret {')
    expect(text).toContain('# At least one attribute in this block is (or was) sensitive,')
    expect(text).not.toMatch(/hidden-(before|after)-value/)
  })

  it('show a block group unknown until apply, and a single block so once', () => {
    const schema = {
      block_types: {
        rule: { nesting_mode: 'list' as const, block: rule },
        timeouts: { nesting_mode: 'single' as const, block: rule }
      }
    }
    const change = { after: {}, after_unknown: { rule: true, timeouts: true } }
    expect(diff('create', change, schema)).toBe(
      lines(
        '+   resource "aws_instance" "web" {',
        '+       rule (known after apply)',
        '+       timeouts (known after apply)',
        '    }'
      )
    )
  })
})

describe('sensitivity and write-only attributes from the schema', () => {
  it('hides an attribute the schema marks sensitive, even where the plan does not mark it', () => {
    const schema = { attributes: { password: { type: 'string', sensitive: true }, id: STRING } }
    const text = diff(
      'update',
      {
        before: { id: 'i', password: 'old-secret-1' },
        after: { id: 'i', password: 'new-secret-2' }
      },
      schema
    )
    expect(text).toContain('~       password = (sensitive value)')
    expect(text).not.toMatch(/secret-\d/)
  })

  it('shows write-only attributes as such, following their block', () => {
    const schema = { attributes: { token: { type: 'string', write_only: true }, id: STRING } }
    expect(diff('create', { after: { id: 'i' } }, schema)).toBe(
      lines(
        '+   resource "aws_instance" "web" {',
        '+       id    = "i"',
        '+       token = (write-only attribute)',
        '    }'
      )
    )
  })
})

describe('drift', () => {
  it('shows only the relevant attributes as changed', () => {
    const schema = { attributes: { id: STRING, a: STRING, b: STRING } }
    const drifted = resource(
      'update',
      { before: { id: 'i', a: '1', b: '1' }, after: { id: 'i', a: '2', b: '2' } },
      { schema, relevantPaths: [['b']] }
    )
    expect(renderResourceDiff(drifted)).toBe(
      lines(
        '~   resource "aws_instance" "web" {',
        '~       b  = "1" -> "2"',
        '        id = "i"',
        '        # (1 unchanged attribute hidden)',
        '    }'
      )
    )
  })
})

describe('values that do not fit the schema', () => {
  it('are shown without it, so that no attribute goes unseen', () => {
    const schema = { attributes: { id: STRING } }
    const text = diff(
      'update',
      { before: { id: 'i', extra: 'a' }, after: { id: 'i', extra: 'b' } },
      schema
    )
    expect(text).toContain('~       extra = "a" -> "b"')
  })
})

describe('resourceSchema', () => {
  const schemas = {
    'registry.terraform.io/hashicorp/aws': {
      resource_schemas: { aws_instance: { block: { attributes: { id: STRING } } } },
      data_source_schemas: { aws_ami: { block: { attributes: { name: STRING } } } }
    },
    'registry.terraform.io/hashicorp/bad': {
      resource_schemas: { bad_thing: { block: { attributes: { id: { required: true } } } } }
    }
  }
  const aws = 'registry.terraform.io/hashicorp/aws'

  it('finds a type by provider and mode', () => {
    expect(resourceSchema(schemas, aws, 'managed', 'aws_instance')).toEqual({
      attributes: { id: STRING }
    })
    expect(resourceSchema(schemas, aws, 'data', 'aws_ami')).toBeDefined()
    expect(resourceSchema(schemas, aws, 'data', 'aws_instance')).toBeUndefined()
    expect(
      resourceSchema(schemas, 'registry.terraform.io/hashicorp/gcp', 'managed', 'aws_instance')
    ).toBeUndefined()
  })

  it('ignores a schema of an unexpected shape', () => {
    const bad = 'registry.terraform.io/hashicorp/bad'
    expect(resourceSchema(schemas, bad, 'managed', 'bad_thing')).toBeUndefined()
    expect(resourceSchema(schemas, aws, 'managed', 'toString')).toBeUndefined()
  })
})
