import type { Sequence } from '../types.ts';

/** A sequence counting up from `start`: share one instance between decoders for one global order. */
export function createSequence(start = 0): Sequence {
  let n = start;
  return { next: () => n++ };
}
