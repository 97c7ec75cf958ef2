// Checks on rendered documents shared by the report, property and corpus tests.

/** Splits a document into fenced code blocks and the Markdown between them. */
export function splitFences(markdown: string): {
  code: string[]
  text: string[]
  unclosed: boolean
} {
  const code: string[] = []
  const text: string[] = []
  let current: string[] = []
  let fence: string | undefined
  for (const line of markdown.split('\n')) {
    if (fence === undefined) {
      const open = /^(`{3,})[^`]*$/.exec(line)
      if (open) {
        text.push(current.join('\n'))
        current = []
        fence = open[1]
      } else current.push(line)
    } else if (new RegExp(`^${fence}\`*\\s*$`).test(line)) {
      code.push(current.join('\n'))
      current = []
      fence = undefined
    } else current.push(line)
  }
  if (fence === undefined) text.push(current.join('\n'))
  return { code, text, unclosed: fence !== undefined }
}

/** Every code fence closed, every <details> and <summary> closed, in order. */
export function expectWellFormed(markdown: string): void {
  const { text, unclosed } = splitFences(markdown)
  if (unclosed) throw new Error('a code fence is left open')
  const outside = text.join('\n')
  const stack: string[] = []
  for (const match of outside.matchAll(/<(\/?)(details|summary)\b[^>]*>/g)) {
    if (match[1] === '') stack.push(match[2])
    else if (stack.pop() !== match[2]) throw new Error(`</${match[2]}> closes nothing`)
  }
  if (stack.length > 0) throw new Error(`<${stack.join('>, <')}> left open`)
}

/** The Markdown outside code blocks and <code> elements: where GitHub links and renders. */
export function proseOf(markdown: string): string {
  return splitFences(markdown)
    .text.join('\n')
    .replace(/<code>[^<]*<\/code>/g, '')
}

/** The text a reader sees: tags dropped, character references decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}
