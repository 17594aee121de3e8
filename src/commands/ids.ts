// Event and command ids: monotonic ULIDs. The ulid package's default source draws 16 crypto random
// values each time the millisecond changes, which at command rates is nearly every call (~11 µs);
// drawing them from a buffer refilled 4 KiB at a time keeps the same randomness for ~1 µs.
import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/** A [0, 1) source backed by crypto random bytes, refilled in bulk. */
export function bufferedRandom(size = 1024): () => number {
  const buffer = new Uint32Array(size);
  let next = size;
  return () => {
    if (next === size) {
      randomFillSync(buffer);
      next = 0;
    }
    return buffer[next++]! / 0x1_0000_0000;
  };
}

/** A monotonic ULID factory: ids sort in creation order even within one millisecond. */
export const newIdFactory = (): (() => string) => monotonicFactory(bufferedRandom());
