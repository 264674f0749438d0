/**
 * Where every so many rows of a history log start: a chunk and an offset in the row bytes, and
 * the trace index and time of the column row before (the next row's deltas count from those).
 * Four int32s a mark in one typed array, not an object each: a mark costs the collector nothing,
 * so the log can afford them close together and a read at any position decodes few rows.
 */

/** Int32s per mark: chunk, offset, index, time. */
const FIELDS = 4;
const INITIAL_MARKS = 256;

export class RowMarks {
  private data = new Int32Array(INITIAL_MARKS * FIELDS);
  private count = 0;

  add(chunk: number, offset: number, index: number, t: number): void {
    if ((this.count + 1) * FIELDS > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const at = this.count * FIELDS;
    this.data[at] = chunk;
    this.data[at + 1] = offset;
    this.data[at + 2] = index;
    this.data[at + 3] = t;
    this.count += 1;
  }

  chunk(mark: number): number {
    return this.data[mark * FIELDS]!;
  }

  offset(mark: number): number {
    return this.data[mark * FIELDS + 1]!;
  }

  index(mark: number): number {
    return this.data[mark * FIELDS + 2]!;
  }

  t(mark: number): number {
    return this.data[mark * FIELDS + 3]!;
  }
}
