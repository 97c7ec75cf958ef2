// A minimal ustar writer: enough to build the .tar.gz bundles HCP Terraform serves (plan exports).
import { gzipSync } from 'node:zlib'

const BLOCK = 512

/**
 * Packs regular files into a gzip-compressed ustar archive.
 * @param {{ name: string, content: string | Buffer }[]} files names up to 100 bytes
 * @param {Date} [mtime]
 * @returns {Buffer}
 */
export function tarGz(files, mtime = new Date()) {
  const blocks = files.flatMap(({ name, content }) => {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content)
    return [header(name, data.length, mtime), padToBlock(data)]
  })
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(BLOCK * 2)]))
}

/** @param {string} name @param {number} size @param {Date} mtime */
function header(name, size, mtime) {
  const block = Buffer.alloc(BLOCK)
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`)
  block.write(name, 0)
  block.write(octal(0o644, 8), 100)
  block.write(octal(0, 8), 108)
  block.write(octal(0, 8), 116)
  block.write(octal(size, 12), 124)
  block.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136)
  block.write(' '.repeat(8), 148) // the checksum is computed with its own field as spaces
  block.write('0', 156)
  block.write('ustar\u000000', 257)
  const checksum = block.reduce((sum, byte) => sum + byte, 0)
  block.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148)
  return block
}

/** @param {number} value @param {number} width field width including the NUL */
function octal(value, width) {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`
}

/** @param {Buffer} data */
function padToBlock(data) {
  const rest = data.length % BLOCK
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)])
}
