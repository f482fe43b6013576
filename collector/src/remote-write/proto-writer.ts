/**
 * The bits of the protobuf wire format remote write needs: varints, tags, 64-bit little-endian doubles
 * and length-delimited fields, written into a buffer sized exactly beforehand.
 */

/** Bytes the varint of a non-negative integer (< 2^53) or a negative int64 (10 bytes) takes. */
export function varintSize(n: number): number {
  if (n < 0) return 10;
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

export class ProtoWriter {
  readonly buf: Uint8Array;
  readonly #view: DataView;
  pos = 0;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.#view = new DataView(this.buf.buffer);
  }

  varint(n: number): void {
    if (n < 0) {
      this.#varint64(BigInt.asUintN(64, BigInt(n)));
      return;
    }
    const b = this.buf;
    while (n >= 128) {
      b[this.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    b[this.pos++] = n;
  }

  /** A one-byte tag (field numbers below 16). */
  tag(field: number, wireType: number): void {
    this.buf[this.pos++] = (field << 3) | wireType;
  }

  double(v: number): void {
    this.#view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Prometheus's staleness marker, bit-exact (0x7ff0000000000002). */
  staleNaN(): void {
    this.#view.setUint32(this.pos, 0x00000002, true);
    this.#view.setUint32(this.pos + 4, 0x7ff00000, true);
    this.pos += 8;
  }

  /** A string of `byteLength` UTF-8 bytes (known beforehand). */
  utf8(s: string, byteLength: number): void {
    if (byteLength === s.length) {
      const b = this.buf;
      let p = this.pos;
      for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    } else {
      Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength).write(s, this.pos, byteLength, 'utf8');
    }
    this.pos += byteLength;
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  #varint64(n: bigint): void {
    while (n >= 128n) {
      this.buf[this.pos++] = Number(n & 127n) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }
}

/** Reads what ProtoWriter writes (and any protobuf message of the same field kinds). */
export class ProtoReader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.#buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
    return Number(BigInt.asIntN(64, result));
  }

  /** [field number, wire type] */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }

  /** The 8 bytes of a fixed64 field as [low word, high word]. */
  fixed64Words(): [number, number] {
    const lo = this.#view.getUint32(this.pos, true);
    const hi = this.#view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return [lo, hi];
  }

  double(): number {
    const v = this.#view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length-delimited field: [start, end] within the buffer. */
  span(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end) throw new Error('truncated field');
    this.pos += len;
    return [start, start + len];
  }

  string(): string {
    const [s, e] = this.span();
    return new TextDecoder().decode(this.#buf.subarray(s, e));
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.span();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}
