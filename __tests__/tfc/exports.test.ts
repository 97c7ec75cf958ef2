import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createTfcClient } from '../../src/tfc/client.js'
import { exportSentinelMocks, SentinelMocksError } from '../../src/tfc/exports.js'
import type { SentinelMocksRequest } from '../../src/tfc/exports.js'
import { fakeClock } from '../helpers/fake-clock.js'
import type { FakeClock } from '../helpers/fake-clock.js'
import { reply, startRouteServer } from '../helpers/route-server.js'
import type { Handler, RouteServer } from '../helpers/route-server.js'

const TOKEN = 'exports-test-token'
const PLAN = 'plan-AbCdEfGh12345678'
const NEW_EXPORT = 'pe-NewExport000000001'
const BUNDLE_TYPE = 'sentinel-mock-bundle-v0'
/** Stands for an unredacted sensitive value inside the mocks: it must never reach the logs. */
const SECRET_VALUE = 'hunter2-in-a-mock'
const BUNDLE_FILES = [
  'mock-tfconfig-v2.sentinel',
  'mock-tfplan-v2.sentinel',
  'mock-tfrun.sentinel',
  'mock-tfstate-v2.sentinel',
  'sentinel.hcl'
]

const exportDoc = (id: string, status: string, dataType = BUNDLE_TYPE) => ({
  data: { id, type: 'plan-exports', attributes: { 'data-type': dataType, status } }
})

let scratch: string
let bundle: Buffer

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'exports-test-'))
  const source = path.join(scratch, 'bundle-source')
  await mkdir(source)
  for (const name of BUNDLE_FILES) {
    await writeFile(path.join(source, name), `# ${name}\nvalue = "${SECRET_VALUE}"\n`)
  }
  const archive = path.join(scratch, 'bundle.tar.gz')
  execFileSync('tar', ['-czf', archive, '-C', source, ...BUNDLE_FILES])
  bundle = await readFile(archive)
})

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

/** The archivist-like host: a temporary URL is good for `uses` downloads, then answers 403. */
function servesBundle(): Handler {
  return (_request, _params, response) => {
    response.writeHead(200, {
      'Content-Type': 'application/gzip',
      'Content-Length': String(bundle.length)
    })
    response.end(bundle)
  }
}

describe('exportSentinelMocks', () => {
  let api: RouteServer
  let downloads: RouteServer
  let destRoot: string
  let lines: string[]
  let warnings: string[]
  let clock: FakeClock

  beforeEach(async () => {
    downloads = await startRouteServer({
      'GET /archivist/:secret': servesBundle()
    })
    api = await startRouteServer({
      'POST /api/v2/plan-exports': reply.with(201, exportDoc(NEW_EXPORT, 'pending')),
      [`GET /api/v2/plan-exports/${NEW_EXPORT}`]: [
        reply.with(200, exportDoc(NEW_EXPORT, 'pending')),
        reply.with(200, exportDoc(NEW_EXPORT, 'queued')),
        reply.with(200, exportDoc(NEW_EXPORT, 'finished'))
      ],
      'GET /api/v2/plan-exports/:id/download': reply.redirect(
        `${downloads.origin}/archivist/secret-one`,
        302
      ),
      'DELETE /api/v2/plan-exports/:id': reply.with(204)
    })
    destRoot = await mkdtemp(path.join(scratch, 'runner-temp-'))
    lines = []
    warnings = []
    clock = fakeClock(1_700_000_000_000)
  })

  afterEach(async () => {
    await api.close()
    await downloads.close()
  })

  function exportMocks(overrides: Partial<SentinelMocksRequest> = {}) {
    const client = createTfcClient({ origin: api.origin, token: TOKEN, clock: fakeClock() })
    return exportSentinelMocks(client, {
      planId: PLAN,
      destRoot,
      keep: false,
      timeoutMs: 60_000,
      pollIntervalMs: 2000,
      clock,
      log: line => lines.push(line),
      warn: message => warnings.push(message),
      ...overrides
    })
  }

  const deletes = () => api.requests.filter(request => request.method === 'DELETE')

  it('exports the plan, waits for it, downloads without the token and unpacks five files', async () => {
    const mocks = await exportMocks()

    expect(mocks.files).toEqual(BUNDLE_FILES)
    expect(path.dirname(mocks.path)).toBe(destRoot)
    expect(path.basename(mocks.path)).toMatch(new RegExp(`^sentinel-mocks-${PLAN}-`))
    for (const name of BUNDLE_FILES) {
      expect(await readFile(path.join(mocks.path, name), 'utf8')).toContain(name)
    }
    // Only the unpacked folder is left: the archive (secrets too) is gone.
    expect(await readdir(destRoot)).toEqual([path.basename(mocks.path)])

    const [create] = api.requestsTo('/api/v2/plan-exports')
    expect(JSON.parse(create.body)).toEqual({
      data: {
        type: 'plan-exports',
        attributes: { 'data-type': BUNDLE_TYPE },
        relationships: { plan: { data: { type: 'plans', id: PLAN } } }
      }
    })
    expect(
      api.requestsTo(`/api/v2/plan-exports/${NEW_EXPORT}`).filter(r => r.method === 'GET')
    ).toHaveLength(3)
    expect(clock.sleeps).toEqual([2000, 2000])

    expect(downloads.requests).toHaveLength(1)
    expect(downloads.requests[0].headers.authorization).toBeUndefined()
    expect(JSON.stringify(downloads.requests[0].headers)).not.toContain(TOKEN)
    for (const request of api.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    }

    expect(deletes().map(request => request.path)).toEqual([`/api/v2/plan-exports/${NEW_EXPORT}`])
    expect(warnings).toEqual([])
    const logged = lines.join('\n')
    expect(logged).not.toContain(SECRET_VALUE)
    expect(logged).not.toContain('secret-one')
  })

  it('keeps the export when asked to', async () => {
    const mocks = await exportMocks({ keep: true })
    expect(mocks.files).toHaveLength(5)
    expect(deletes()).toEqual([])
  })

  it('reuses an export of the same type that already exists (422), and leaves it in place', async () => {
    api.route(
      'POST /api/v2/plan-exports',
      reply.with(422, { errors: [{ status: '422', title: 'invalid' }] })
    )
    api.route(
      `GET /api/v2/plans/${PLAN}`,
      reply.with(200, {
        data: {
          id: PLAN,
          type: 'plans',
          relationships: {
            exports: {
              data: [
                { id: 'pe-Errored000000000001', type: 'plan-exports' },
                { id: 'pe-OtherType0000000001', type: 'plan-exports' },
                { id: 'pe-Existing00000000001', type: 'plan-exports' }
              ]
            }
          }
        }
      })
    )
    api.route(
      'GET /api/v2/plan-exports/pe-Errored000000000001',
      reply.with(200, exportDoc('pe-Errored000000000001', 'errored'))
    )
    api.route(
      'GET /api/v2/plan-exports/pe-OtherType0000000001',
      reply.with(200, exportDoc('pe-OtherType0000000001', 'finished', 'other-type-v0'))
    )
    api.route(
      'GET /api/v2/plan-exports/pe-Existing00000000001',
      reply.with(200, exportDoc('pe-Existing00000000001', 'finished'))
    )

    const mocks = await exportMocks()
    expect(mocks.files).toEqual(BUNDLE_FILES)
    expect(api.requestsTo('/api/v2/plan-exports/pe-Existing00000000001/download')).toHaveLength(1)
    expect(api.requestsTo(`/api/v2/plan-exports/${NEW_EXPORT}`)).toHaveLength(0)
    expect(deletes()).toEqual([])
  })

  it('reports a 422 that no existing export explains', async () => {
    api.route(
      'POST /api/v2/plan-exports',
      reply.with(422, {
        errors: [{ status: '422', title: 'invalid', detail: 'data-type is not supported' }]
      })
    )
    api.route(
      `GET /api/v2/plans/${PLAN}`,
      reply.with(200, {
        data: { id: PLAN, type: 'plans', relationships: { exports: { data: [] } } }
      })
    )
    const error = await exportMocks().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SentinelMocksError)
    expect((error as Error).message).toContain('data-type is not supported')
  })

  it('fails clearly when the export errors, and still deletes it', async () => {
    api.route(`GET /api/v2/plan-exports/${NEW_EXPORT}`, [
      reply.with(200, exportDoc(NEW_EXPORT, 'queued')),
      reply.with(200, exportDoc(NEW_EXPORT, 'errored'))
    ])
    const error = await exportMocks().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SentinelMocksError)
    expect((error as Error).message).toContain(`${NEW_EXPORT} errored`)
    expect(downloads.requests).toHaveLength(0)
    expect(deletes()).toHaveLength(1)
    expect(await readdir(destRoot)).toEqual([])
  })

  it('gives up when the export does not finish in time', async () => {
    api.route(
      `GET /api/v2/plan-exports/${NEW_EXPORT}`,
      reply.with(200, exportDoc(NEW_EXPORT, 'queued'))
    )
    const error = await exportMocks({ timeoutMs: 9000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SentinelMocksError)
    expect((error as Error).message).toMatch(/did not finish within 9 s \(still queued\)/)
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(9000)
    expect(deletes()).toHaveLength(1)
  })

  it('asks for a new download URL when the temporary one has expired', async () => {
    downloads.route('GET /archivist/:secret', (request, params, response) =>
      params.secret === 'secret-one'
        ? { status: 403, body: 'Request has expired' }
        : servesBundle()(request, params, response)
    )
    api.route('GET /api/v2/plan-exports/:id/download', [
      reply.redirect(`${downloads.origin}/archivist/secret-one`, 302),
      reply.redirect(`${downloads.origin}/archivist/secret-two`, 302)
    ])
    const mocks = await exportMocks()
    expect(mocks.files).toEqual(BUNDLE_FILES)
    expect(api.requestsTo(`/api/v2/plan-exports/${NEW_EXPORT}/download`)).toHaveLength(2)
    expect(downloads.requests.map(request => request.path)).toEqual([
      '/archivist/secret-one',
      '/archivist/secret-two'
    ])
    expect(downloads.requests.every(request => request.headers.authorization === undefined)).toBe(
      true
    )
    expect(lines.join('\n')).toContain('expired')
  })

  it('stops asking for new download URLs after a few expired ones', async () => {
    downloads.route('GET /archivist/:secret', reply.with(404, 'NoSuchKey'))
    const error = await exportMocks().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SentinelMocksError)
    expect((error as Error).message).toContain('expired 3 times')
    expect(downloads.requests).toHaveLength(3)
    expect(await readdir(destRoot)).toEqual([])
  })

  it('unpacks a bundle the download host sends gzip-encoded', async () => {
    downloads.route('GET /archivist/:secret', (_request, _params, response) => {
      response.writeHead(200, { 'Content-Type': 'application/x-tar', 'Content-Encoding': 'gzip' })
      response.end(bundle)
    })
    const mocks = await exportMocks()
    expect(mocks.files).toEqual(BUNDLE_FILES)
  })

  it('fails clearly on a bundle that breaks off, and leaves nothing behind', async () => {
    downloads.route('GET /archivist/:secret', (_request, _params, response) => {
      response.writeHead(200, { 'Content-Length': String(bundle.length) })
      response.write(bundle.subarray(0, bundle.length >> 1), () => response.destroy())
    })
    const error = await exportMocks().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SentinelMocksError)
    expect((error as Error).message).toMatch(
      /^Downloading Sentinel mock export \S+ failed: the download from \S+ (broke off|was cut short)/
    )
    expect(await readdir(destRoot)).toEqual([])
  })

  it('explains a 404 on create: no permission to export, or an unknown plan', async () => {
    api.route(
      'POST /api/v2/plan-exports',
      reply.with(404, { errors: [{ status: '404', title: 'not found' }] })
    )
    const error = await exportMocks().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SentinelMocksError)
    expect((error as Error).message).toContain('Download Sentinel mocks')
    expect((error as Error).message).toContain(PLAN)
    expect(api.requests).toHaveLength(1)
  })

  it('only warns when the export cannot be deleted afterwards', async () => {
    api.route(
      'DELETE /api/v2/plan-exports/:id',
      reply.with(409, { errors: [{ status: '409', title: 'conflict' }] })
    )
    const mocks = await exportMocks()
    expect(mocks.files).toEqual(BUNDLE_FILES)
    expect(deletes()).toHaveLength(1)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(NEW_EXPORT)
  })
})
