import { describe, expect, it } from '@jest/globals'
import { marked } from 'marked'
import {
  alert,
  codeBlock,
  codeSpan,
  commentMarker,
  details,
  escapeParagraphs,
  escapeText,
  link,
  table,
  tableCell
} from '../../src/render/markdown.js'
import { visibleText } from './checks.js'

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '``` `` ` code',
  'a | b || c',
  '@someone and @org/team',
  'fixes #123 and GH-45 and owner/repo#9',
  '<!-- tfc-plan-summary:prod: --> ]]> -->',
  'line\rbreak\nnew\r\nline\u0000nul',
  'bidi \u202Eevil\u202C text',
  '[link](javascript:alert(1)) ![img](https://evil.example/x.png)',
  'https://evil.example/path and www.evil.example and mail@evil.example',
  '*bold* _it_ ~~struck~~ $math$ \\escaped',
  '&amp; &lt; &#64;',
  'emoji 😀 and lone \uD800 surrogate',
  '# heading? - list? 1. ordered? > quote?'
]

function tagsIn(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map(match => match[1].toLowerCase())
}

const render = (markdown: string): string => marked.parse(markdown, { async: false })

describe('escapeText', () => {
  it.each(HOSTILE)('renders %j as plain text and nothing else', hostile => {
    const escaped = escapeText(hostile)
    expect(escaped).not.toMatch(/[<>\n\r|`]/)
    const html = render(escaped)
    expect(new Set(tagsIn(html))).toEqual(new Set(['p']))
  })

  it.each([
    '- item',
    '+ item',
    '* item',
    '1. item',
    '2) item',
    '---',
    '===',
    '    indented',
    '> quote',
    '# title'
  ])('does not start a block with %j at the start of a line', line => {
    const html = render(`${escapeText(line)}\n\n${escapeText(line)}\n${escapeText(line)}`)
    expect(new Set(tagsIn(html))).toEqual(new Set(['p']))
  })

  it('keeps the text a reader sees, with invisible joiners only', () => {
    const text = 'Plan: 1 to add, "quoted" & <tagged> [x](y) *z*'
    expect(visibleText(escapeText(text)).replace(/\u200D/g, '')).toBe(text)
  })

  it('breaks mentions, references and links that GitHub would make', () => {
    const shown = visibleText(
      escapeText('@someone #123 GH-45 https://evil.example www.evil.example')
    )
    expect(shown).not.toMatch(/@\w/)
    expect(shown).not.toMatch(/#\d/)
    expect(shown).not.toMatch(/GH-\d/)
    expect(shown).not.toMatch(/:\/\//)
    expect(shown).not.toMatch(/www\./)
  })

  it('replaces line breaks, controls and reordering characters', () => {
    const shown = visibleText(escapeText('a\nb\rc\u0000d\u202Ee\uD800'))
    expect(shown).toBe('a b c\uFFFDd\uFFFDe\uFFFD')
  })
})

describe('codeSpan', () => {
  it.each(HOSTILE)('keeps %j inside one <code> element', hostile => {
    const html = render(codeSpan(hostile))
    expect(tagsIn(html).filter(tag => tag !== 'p')).toEqual(['code', 'code'])
    expect(html).not.toMatch(/<a /)
  })

  it('shows the content exactly (no joiners) so addresses can be copied', () => {
    const address = 'module.app["a|b`c"].aws_iam_user.u["alice@example.com"]'
    const html = render(codeSpan(address))
    expect(visibleText(html).trim()).toBe(address)
  })

  it.each(['_x_', '__init__', 'a _b_ c', 'x_', '_', 'aws_instance.web_1'])(
    'never lets underscores in %j make emphasis',
    text => {
      const html = render(codeSpan(text))
      expect(tagsIn(html).filter(tag => tag !== 'p')).toEqual(['code', 'code'])
      expect(visibleText(html).trim()).toBe(text)
    }
  )

  it('leaves underscores inside words as they are', () => {
    expect(codeSpan('aws_instance.web_1')).toBe('<code>aws_instance.web_1</code>')
  })

  it('stays one cell in a table', () => {
    const markdown = table(['a', 'b'], [[codeSpan('x | y\nz'), 'second']])
    const html = render(markdown)
    expect(html.match(/<td/g)).toHaveLength(2)
    expect(html).toContain('second')
  })
})

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    const content = 'before\n````\n```` not a close\nafter'
    const block = codeBlock('diff', content)
    expect(block.startsWith('`````diff\n')).toBe(true)
    expect(block.endsWith('\n`````')).toBe(true)
    const html = render(block)
    expect(tagsIn(html)).toEqual(['pre', 'code', 'code', 'pre'])
    expect(visibleText(html).trimEnd()).toBe(content)
  })

  it('shows HTML literally and never contains a comment opener', () => {
    const block = codeBlock('', '<img src=x onerror=alert(1)>\n<!-- tfc-plan-summary:prod: -->')
    expect(block).not.toContain('<!--')
    expect(tagsIn(render(block))).toEqual(['pre', 'code', 'code', 'pre'])
  })

  it('makes controls and reordering characters visible and drops terminal colours', () => {
    const block = codeBlock('', 'a\u0000b\u202Ec\u001b[31mred\u001b[0m\r\nd')
    expect(block).toContain('a\u2400b[U+202E]cred\nd')
  })

  it('sanitizes the language', () => {
    expect(codeBlock('diff"><x', 'x').split('\n')[0]).toBe('```diffx')
  })
})

describe('tables', () => {
  it('cannot be split by pipes or line breaks in a cell', () => {
    expect(tableCell('a|b\nc')).toBe('a&#124;b c')
    const html = render(
      table(['h1', 'h2'], [[escapeText('a | b\n| c'), escapeText('d')]], ['left', 'right'])
    )
    expect(html.match(/<td/g)).toHaveLength(2)
  })
})

describe('details', () => {
  it('renders the body as Markdown under an escaped summary', () => {
    const markdown = details(escapeText('<b>sum</b>'), codeBlock('diff', '+ x'))
    const html = render(markdown)
    expect(html).toContain('<summary>&lt;b&gt;sum&lt;/b&gt;</summary>')
    expect(html).toContain('<pre><code class="language-diff">+ x')
  })
})

describe('alert', () => {
  it('quotes every line under the alert title', () => {
    expect(alert('WARNING', 'one\n\ntwo')).toBe('> [!WARNING]\n> one\n>\n> two')
  })
})

describe('link', () => {
  it('links http(s) URLs with the URL escaped', () => {
    expect(link('text', 'https://app.terraform.io/app/o/w/runs/run-1?a=1&b="x"')).toBe(
      '<a href="https://app.terraform.io/app/o/w/runs/run-1?a=1&amp;b=%22x%22">text</a>'
    )
  })

  it.each(['javascript:alert(1)', 'data:text/html,x', 'not a url', undefined])(
    'leaves %j unlinked',
    url => {
      expect(link('text', url)).toBe('text')
    }
  )
})

describe('escapeParagraphs', () => {
  it('keeps paragraphs and line breaks but no Markdown structure', () => {
    const text =
      'First line\n# not a heading\n- not a list\n\n    not code\n1. not a list\n> not a quote'
    const html = render(escapeParagraphs(text))
    expect(new Set(tagsIn(html))).toEqual(new Set(['p', 'br']))
    expect(html.match(/<p>/g)).toHaveLength(2)
  })
})

describe('commentMarker', () => {
  it('is a hidden HTML comment naming key and label', () => {
    expect(commentMarker('prod', 'staging')).toBe('<!-- tfc-plan-summary:prod:staging -->')
    expect(commentMarker('acme/prod-1', '')).toBe('<!-- tfc-plan-summary:acme/prod-1: -->')
  })

  it('encodes everything that could end the comment or make two markers equal', () => {
    const marker = commentMarker('a:b -->', 'c<!--')
    expect(marker).toBe('<!-- tfc-plan-summary:a%3Ab%20--%3E:c%3C%21-- -->')
    expect(commentMarker('a:b', 'c')).not.toBe(commentMarker('a', 'b:c'))
    expect(marker.indexOf('-->')).toBe(marker.length - 3)
  })
})
