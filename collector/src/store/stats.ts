/** Counters and memory figures a store reports. */

export interface MemoryUsage {
  /** Compressed sample bytes: closed chunks plus the used part of head chunks. */
  chunkBytes: number;
  /** Estimated overhead of chunk objects and head buffers beyond the compressed bytes. */
  chunkOverheadBytes: number;
  /** Estimated size of series objects, label strings, the series map and the postings index. */
  indexBytes: number;
  /** The sum: what the memory bound is checked against. */
  totalBytes: number;
}

export interface StoreStats {
  /** Series held now. */
  series: number;
  /** Chunks held now (closed ones plus non-empty heads). */
  chunks: number;
  /** Samples held now. */
  samples: number;
  /** Samples ever committed. */
  appendedSamples: number;
  /** Rejected: older than the newest sample of the series. */
  outOfOrder: number;
  /** Rejected: same timestamp as the newest sample but another value. */
  duplicates: number;
  seriesCreated: number;
  seriesRemoved: number;
  /** Chunks dropped (and their samples) to stay under the memory bound. */
  droppedChunks: number;
  droppedSamples: number;
  /** Chunks removed (and their samples) because they fell out of the retention window. */
  expiredChunks: number;
  expiredSamples: number;
  memory: MemoryUsage;
}

/**
 * Per-object estimates (bytes) for the accounting, measured on Node.js 24 (64-bit, no pointer
 * compression) with bench/store.ts. They make the memory bound track the heap closely enough.
 */
export const COST = {
  /** MemSeries + HeadChunk objects (with their boxed numbers), label array, series-map entry. */
  series: 640,
  /** Per label pair: array slots in the label set and one postings entry. */
  labelPair: 24,
  /** An interned string: header plus one byte per character. */
  stringHeader: 24,
  /** A closed chunk: its object and the string header. */
  closedChunk: 80,
} as const;
