/**
 * Bytes per stored sample of Prometheus, from a TSDB snapshot (POST /api/v1/admin/tsdb/snapshot writes
 * the in-memory head out as a block with its chunks unchanged). The chunk segment files are read
 * record by record: `len uvarint | encoding byte | data | crc32`, after an 8-byte file header. The
 * data is the XOR chunk: a 2-byte sample count, the first timestamp as a varint, then the first value
 * and the Gorilla bit stream. fnscope's chunk bytes hold no count and no first timestamp (its chunk
 * object keeps them, as Prometheus's index does for a block), so those are left out here too: what is
 * compared is the cost of the samples in the same encoding, not of file formats.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from './sides.ts';

const CHUNKS_MAGIC = 0x85bd40dd;

function uvarintLength(buf: Buffer, at: number): number {
  let n = 1;
  while (buf[at + n - 1]! >= 0x80) n++;
  return n;
}

/** Chunk bytes (without the sample count and first timestamp) and chunk count of one chunk segment file. */
export function chunkSegmentStats(buf: Buffer): { bytes: number; chunks: number } {
  if (buf.length < 8 || buf.readUInt32BE(0) !== CHUNKS_MAGIC) throw new Error('not a Prometheus chunk segment file');
  let at = 8;
  let bytes = 0;
  let chunks = 0;
  while (at < buf.length) {
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = buf[at++]!;
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    if (len === 0) break; // zero padding at the end
    const data = at + 1; // after the encoding byte
    bytes += len - 2 - uvarintLength(buf, data + 2);
    at = data + len + 4;
    chunks++;
  }
  return { bytes, chunks };
}

/** Chunk data bytes, chunks and samples of every block in a snapshot folder. */
export function snapshotChunkStats(snapshotDir: string): Storage {
  const out: Storage = { bytes: 0, samples: 0, chunks: 0 };
  for (const block of readdirSync(snapshotDir)) {
    const meta = join(snapshotDir, block, 'meta.json');
    if (!existsSync(meta)) continue;
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { stats?: { numSamples?: number } };
    out.samples += m.stats?.numSamples ?? 0;
    const dir = join(snapshotDir, block, 'chunks');
    for (const f of readdirSync(dir)) {
      const s = chunkSegmentStats(readFileSync(join(dir, f)));
      out.bytes += s.bytes;
      out.chunks += s.chunks;
    }
  }
  return out;
}
