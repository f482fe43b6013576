import type { SampleBuffer } from '../sample-buffer.ts';
import type { PromCompat } from './types.ts';

/**
 * Prometheus's extrapolatedRate for float samples: the increase over the window [rangeStart,
 * rangeEnd] from the samples of buf[from, to] (staleness markers skipped), with counter resets
 * added back when `isCounter`, extrapolated to the window edges when the first/last sample is within
 * 1.1 average intervals of them (else by half an interval), never extrapolating a counter below zero.
 * Per second when `isRate`. Returns undefined with fewer than two samples.
 */
export function extrapolatedRate(
  buf: SampleBuffer,
  from: number,
  to: number,
  rangeStart: number,
  rangeEnd: number,
  isCounter: boolean,
  isRate: boolean,
  compat: PromCompat,
): number | undefined {
  let first = -1;
  let last = -1;
  let count = 0;
  let result = 0;
  let prev = 0;
  for (let i = from; i < to; i++) {
    if (buf.isStale(i)) continue;
    const v = buf.v[i]!;
    if (first === -1) first = i;
    else if (isCounter && v < prev) result += prev;
    prev = v;
    last = i;
    count++;
  }
  if (count < 2) return undefined;
  const firstT = buf.t[first]!;
  const lastT = buf.t[last]!;
  const firstV = buf.v[first]!;
  result += buf.v[last]! - firstV;

  let durationToStart = (firstT - rangeStart) / 1000;
  let durationToEnd = (rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (count - 1);
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;

  if (compat === 'v3') {
    if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
    if (isCounter && result > 0 && firstV >= 0) {
      const durationToZero = sampledInterval * (firstV / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
  } else {
    if (isCounter && result > 0 && firstV >= 0) {
      const durationToZero = sampledInterval * (firstV / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
  }
  if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;

  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= (rangeEnd - rangeStart) / 1000;
  return result * factor;
}
