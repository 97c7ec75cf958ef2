// Renders a typical PR comment from an example plan, turns it into HTML the way GitHub would show
// it (GitHub-like CSS, alerts, coloured diffs), and screenshots it with headless Chromium into
// docs/comment.png. Two resources are expanded so their diffs show.
//
//   node scripts/screenshot-comment.mjs            (CHROMIUM=/path/to/chromium to pick the browser)
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'
import { marked } from 'marked'
import markedAlert from 'marked-alert'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(path.join(os.tmpdir(), 'comment-screenshot-'))

// The renderers and the plan model import only types from elsewhere: transpiling them is enough.
for (const folder of ['src/render', 'src/plan']) {
  mkdirSync(path.join(work, folder), { recursive: true })
  for (const file of readdirSync(path.join(root, folder)).filter(name => name.endsWith('.ts'))) {
    const source = readFileSync(path.join(root, folder, file), 'utf8')
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 }
    })
    writeFileSync(path.join(work, folder, file.replace(/\.ts$/, '.js')), outputText)
  }
}
/** @type {typeof import('../src/plan/model.js')} */
const { buildPlanModel } = await import(pathToFileURL(path.join(work, 'src/plan/model.js')).href)
/** @type {typeof import('../src/render/report.js')} */
const { commentMarker, renderComment } = await import(
  pathToFileURL(path.join(work, 'src/render/report.js')).href
)

const tags = { Team: 'payments', Environment: 'prod' }
/** @type {import('../src/plan/types.js').JsonPlan} */
const plan = {
  format_version: '1.2',
  terraform_version: '1.9.5',
  resource_changes: [
    {
      address: 'aws_instance.web',
      mode: 'managed',
      type: 'aws_instance',
      name: 'web',
      change: {
        actions: ['update'],
        before: {
          id: 'i-0abc12345def67890',
          ami: 'ami-0c55b159cbfafe1f0',
          instance_type: 't3.micro',
          monitoring: false,
          tags: { ...tags, Name: 'web' }
        },
        after: {
          id: 'i-0abc12345def67890',
          ami: 'ami-0c55b159cbfafe1f0',
          instance_type: 't3.small',
          monitoring: true,
          tags: { ...tags, Name: 'web', Owner: 'sre' }
        },
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: {}
      }
    },
    {
      address: 'aws_security_group.web',
      mode: 'managed',
      type: 'aws_security_group',
      name: 'web',
      action_reason: 'replace_because_cannot_update',
      change: {
        actions: ['create', 'delete'],
        before: {
          id: 'sg-0123456789abcdef0',
          name: 'web',
          description: 'Web servers',
          ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }]
        },
        after: {
          name: 'web',
          description: 'Web servers (TLS only)',
          ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'] }]
        },
        after_unknown: { id: true, arn: true },
        replace_paths: [['description']]
      }
    },
    {
      address: 'aws_iam_role_policy.app',
      mode: 'managed',
      type: 'aws_iam_role_policy',
      name: 'app',
      change: {
        actions: ['update'],
        before: {
          id: 'app:read',
          policy:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}]}'
        },
        after: {
          id: 'app:read',
          policy:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}'
        }
      }
    },
    {
      address: 'aws_db_instance.main',
      mode: 'managed',
      type: 'aws_db_instance',
      name: 'main',
      change: {
        actions: ['update'],
        before: { id: 'db-main', engine_version: '15.4', password: 'old-password' },
        after: { id: 'db-main', engine_version: '15.6', password: 'new-password' },
        before_sensitive: { password: true },
        after_sensitive: { password: true }
      }
    },
    {
      address: 'aws_s3_bucket.logs',
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: 'logs',
      change: {
        actions: ['create'],
        before: null,
        after: { bucket: 'acme-prod-logs', force_destroy: false, tags },
        after_unknown: { id: true, arn: true, region: true }
      }
    },
    {
      address: 'aws_instance.legacy',
      mode: 'managed',
      type: 'aws_instance',
      name: 'legacy',
      action_reason: 'delete_because_no_resource_config',
      change: {
        actions: ['delete'],
        before: { id: 'i-0fedcba9876543210', instance_type: 't2.micro' },
        after: null
      }
    },
    {
      address: 'module.dns.aws_route53_record.www',
      previous_address: 'aws_route53_record.www',
      module_address: 'module.dns',
      mode: 'managed',
      type: 'aws_route53_record',
      name: 'www',
      change: {
        actions: ['no-op'],
        before: { id: 'Z1_www_A', name: 'www' },
        after: { id: 'Z1_www_A', name: 'www' }
      }
    }
  ],
  output_changes: {
    instance_type: { actions: ['update'], before: 't3.micro', after: 't3.small' },
    db_password: {
      actions: ['update'],
      before: 'old-password',
      after: 'new-password',
      before_sensitive: true,
      after_sensitive: true
    }
  }
}

/** @type {import('../src/result.js').WorkspaceResult} */
const result = {
  hostname: 'app.terraform.io',
  runId: 'run-CZcmD7eagjhyX0vN',
  planId: 'plan-4JbNYGaZ6MKrqq8x',
  organization: 'acme',
  workspace: 'payments-prod',
  runUrl: 'https://app.terraform.io/app/acme/payments-prod/runs/run-CZcmD7eagjhyX0vN',
  status: 'finished',
  model: buildPlanModel(plan, 'json'),
  diagnostics: [],
  execution: { mode: 'agent', agentName: 'agent-eu-1', agentPoolName: 'private-eu' },
  gates: [
    {
      condition: 'destroy',
      message: '2 resources would be destroyed',
      addresses: ['aws_security_group.web', 'aws_instance.legacy']
    }
  ],
  warnings: []
}

const markdown = renderComment([result], {
  marker: commentMarker('payments-prod', ''),
  details: true,
  maxLength: 65536
})
writeFileSync(path.join(work, 'comment.md'), markdown)

marked.use(markedAlert())
// Expand two resources, as a reviewer would: a JSON policy change and a replacement.
const expanded = ['aws_iam_role_policy.app', 'aws_security_group.web']
const body = marked
  .parse(markdown, { async: false })
  .replace(/<details>(<summary><code>([^<]*)<\/code>)/g, (match, summary, address) =>
    expanded.includes(address) ? `<details open>${summary}` : match
  )
  .replace(/<pre><code class="language-diff">([\s\S]*?)<\/code><\/pre>/g, (_, code) => {
    /** @type {string[]} */
    const lines = code.replace(/\n$/, '').split('\n')
    const coloured = lines.map(line => {
      const kind = line.startsWith('+') ? 'inserted' : line.startsWith('-') ? 'deleted' : ''
      return kind ? `<span class="${kind}">${line}</span>` : line
    })
    return `<pre><code class="language-diff">${coloured.join('\n')}</code></pre>`
  })

const css = `
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
.comment { margin: 24px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
.comment-header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; color: #59636e; }
.comment-header b { color: #1f2328; }
.markdown-body { padding: 16px; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0b3; padding-bottom: .3em; margin: 0 0 16px; font-weight: 600; }
h3 { font-size: 1.25em; margin: 24px 0 16px; font-weight: 600; }
h4 { font-size: 1em; margin: 24px 0 12px; font-weight: 600; }
p { margin: 0 0 16px; }
a { color: #0969da; text-decoration: none; }
code { font: 85%/1.45 ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, monospace; background: #818b981f; padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; margin: 0 0 16px; }
pre code { background: none; padding: 0; font-size: 12px; }
.inserted { color: #116329; background: #dafbe1; display: inline-block; width: 100%; }
.deleted { color: #82071e; background: #ffebe9; display: inline-block; width: 100%; }
table { border-collapse: collapse; margin: 0 0 16px; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
th { font-weight: 600; } tr:nth-child(2n) td { background: #f6f8fa; }
details { margin: 0 0 8px; } summary { cursor: pointer; } details[open] > summary { margin-bottom: 8px; }
ul { padding-left: 2em; margin: 0 0 16px; }
.markdown-alert { padding: 8px 16px; margin: 0 0 16px; border-left: .25em solid #d1d9e0; }
.markdown-alert > :last-child { margin-bottom: 0; }
.markdown-alert-title { font-weight: 500; display: flex; align-items: center; gap: 8px; margin-bottom: 4px; }
.markdown-alert-title svg { fill: currentColor; }
.markdown-alert-note { border-left-color: #0969da; } .markdown-alert-note .markdown-alert-title { color: #0969da; }
.markdown-alert-important { border-left-color: #8250df; } .markdown-alert-important .markdown-alert-title { color: #8250df; }
.markdown-alert-warning { border-left-color: #9a6700; } .markdown-alert-warning .markdown-alert-title { color: #9a6700; }
.markdown-alert-caution { border-left-color: #d1242f; } .markdown-alert-caution .markdown-alert-title { color: #d1242f; }
`
const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body>
<div class="comment"><div class="comment-header"><b>github-actions</b> bot commented</div>
<div class="markdown-body">${body}</div></div></body></html>`
const page = path.join(work, 'comment.html')
writeFileSync(page, html)

const output = path.join(root, 'docs', 'comment.png')
mkdirSync(path.dirname(output), { recursive: true })
execFileSync(process.env.CHROMIUM ?? 'chromium', [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--user-data-dir=${mkdtempSync(path.join(os.tmpdir(), 'chromium-'))}`,
  `--screenshot=${output}`,
  '--window-size=1000,1400',
  pathToFileURL(page).href
])
console.log(`wrote ${path.relative(root, output)} (page and Markdown in ${work})`)
