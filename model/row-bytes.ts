/**
 * Rows of integers packed as variable-length bytes (zigzag, seven bits a byte): a history row's
 * numbers are mostly small (deltas, interned string codes), so most take one byte of a column's
 * four. Rows are read in order from a place the writer marked; a row never spans two chunks.
 */

/** Bytes per chunk: storage grows a chunk at a time, never copied. */
const CHUNK_BYTES = 1 << 18;
/** Room a row may need: seven numbers of at most five bytes each. */
const ROW_BYTES_MAX = 40;

export class RowBytes {
  private readonly chunks: Uint8Array[] = [new Uint8Array(CHUNK_BYTES)];
  /** Bytes written to the last chunk. */
  private written = 0;

  /** Begins a row. */
  startRow(): void {
    if (this.written + ROW_BYTES_MAX > CHUNK_BYTES) {
      this.chunks.push(new Uint8Array(CHUNK_BYTES));
      this.written = 0;
    }
  }

  /** The chunk of the row begun last. */
  get chunk(): number {
    return this.chunks.length - 1;
  }

  /** Where in its chunk the row begun last starts. */
  get offset(): number {
    return this.written;
  }

  /** Appends an integer of at most 33 bits (an int32, or the difference of two) to the row begun last. */
  write(value: number): void {
    let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
    const bytes = this.chunks[this.chunks.length - 1]!;
    while (zigzag >= 0x80) {
      const low = zigzag % 0x80;
      bytes[this.written++] = low | 0x80;
      zigzag = (zigzag - low) / 0x80;
    }
    bytes[this.written++] = zigzag;
  }

  /** A reader placed at the start of a row. */
  readerAt(chunk: number, offset: number): RowReader {
    return new RowReader(this.chunks, chunk, offset);
  }
}

export class RowReader {
  private bytes: Uint8Array;
  private chunk: number;
  private offset: number;

  constructor(
    private readonly chunks: Uint8Array[],
    chunk: number,
    offset: number,
  ) {
    this.chunk = chunk;
    this.offset = offset;
    this.bytes = chunks[chunk]!;
  }

  /** Moves to the start of a row. */
  moveTo(chunk: number, offset: number): void {
    this.chunk = chunk;
    this.offset = offset;
    this.bytes = this.chunks[chunk]!;
  }

  /** Called at the start of each row: crosses to the next chunk where the writer did. */
  startRow(): void {
    if (this.offset + ROW_BYTES_MAX > CHUNK_BYTES) {
      this.chunk += 1;
      this.offset = 0;
      this.bytes = this.chunks[this.chunk]!;
    }
  }

  read(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.bytes[this.offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }
}
