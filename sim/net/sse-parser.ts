/**
 * Incremental parser of the text/event-stream format, following the WHATWG HTML "event stream
 * interpretation" rules: lines end in CRLF, LF or CR (a CR at the end of a chunk may be the first
 * half of a CRLF split across chunks); a line starting with a colon is a comment; the field name
 * is everything up to the first colon, and one leading space of the value is dropped; `data`
 * lines accumulate, joined by LF; a blank line dispatches; an event with no data is not
 * dispatched; unknown fields are ignored; an `id` containing NUL is ignored; `retry` counts only
 * when it is all ASCII digits. An unterminated event at the end of the stream is discarded.
 */

export interface SseEvent {
  kind: 'event';
  /** The `event` field, or `message` when none was given. */
  type: string;
  data: string;
  /** The last event id in force when this event was dispatched (it persists across events). */
  lastEventId: string;
}

export interface SseRetry {
  kind: 'retry';
  retryMs: number;
}

export interface SseComment {
  kind: 'comment';
  text: string;
}

export type SseItem = SseEvent | SseRetry | SseComment;

/** Where `feed` hands completed items (a list will do). */
export interface ItemSink {
  push(item: SseItem): unknown;
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const FIELDS = ['event', 'data', 'id', 'retry'] as const;
type Field = (typeof FIELDS)[number];

/** The field named by `length` characters of `text` from `start`, or null for one the format ignores. */
function knownField(text: string, start: number, length: number): Field | null {
  for (const field of FIELDS) if (field.length === length && text.startsWith(field, start)) return field;
  return null;
}

export class SseParser {
  private buffer = '';
  /** True after a chunk ended in CR: a LF at the start of the next chunk belongs to it. */
  private skipLeadingLf = false;
  private atStreamStart = true;
  private eventType = '';
  private data = '';
  private hasData = false;
  private lastEventIdBuffer: string;
  private committedLastEventId: string;

  /** `lastEventId` carries the id over from the previous connection of the same EventSource. */
  constructor(options: { lastEventId?: string } = {}) {
    this.lastEventIdBuffer = options.lastEventId ?? '';
    this.committedLastEventId = this.lastEventIdBuffer;
  }

  /**
   * The event source's last event id: taken from the id buffer at each dispatch (blank line),
   * so an id in an event that never completed does not count. Sent as Last-Event-ID on reconnect.
   */
  get lastEventId(): string {
    return this.committedLastEventId;
  }

  /** Feeds one decoded chunk; returns the items it completed, in stream order. */
  push(chunk: string): SseItem[] {
    const items: SseItem[] = [];
    this.feed(chunk, items);
    return items;
  }

  /**
   * `push`, handing each item to `sink` as soon as it is complete, in stream order: an event
   * source takes frames one at a time, and a list per frame was garbage.
   */
  feed(chunk: string, sink: ItemSink): void {
    let text = chunk;
    if (this.skipLeadingLf && text.length > 0) {
      if (text[0] === '\n') text = text.slice(1);
      this.skipLeadingLf = false;
    }
    if (this.atStreamStart && text.length > 0) {
      this.atStreamStart = false;
      if (text[0] === '\ufeff') text = text.slice(1);
    }
    const buffer = this.buffer + text;
    let start = 0;
    // Line ends found by indexOf, not a loop over every char: every frame of every stream comes
    // through here, and servers rarely send CR, so its search usually ends at once.
    let nextLf = buffer.indexOf('\n');
    let nextCr = buffer.indexOf('\r');
    while (nextLf !== -1 || nextCr !== -1) {
      const i = nextCr === -1 || (nextLf !== -1 && nextLf < nextCr) ? nextLf : nextCr;
      this.processLine(buffer, start, i, sink);
      let end = i;
      if (buffer.charCodeAt(i) === CR) {
        if (i + 1 < buffer.length) {
          if (buffer.charCodeAt(i + 1) === LF) end = i + 1;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = end + 1;
      if (nextLf !== -1 && nextLf < start) nextLf = buffer.indexOf('\n', start);
      if (nextCr !== -1 && nextCr < start) nextCr = buffer.indexOf('\r', start);
    }
    this.buffer = buffer.slice(start);
  }

  /** The stream ended: a partly received event is dropped, as the spec requires. */
  end(): void {
    this.buffer = '';
    this.skipLeadingLf = false;
    this.lastEventIdBuffer = this.committedLastEventId;
    this.resetEvent();
  }

  /**
   * The line `buffer[start, end)`, read in place: only a value (and a comment's text) becomes a
   * string of its own, the field name is matched where it lies.
   */
  private processLine(buffer: string, start: number, end: number, items: ItemSink): void {
    if (start === end) {
      this.dispatch(items);
      return;
    }
    if (buffer.charCodeAt(start) === COLON) {
      items.push({ kind: 'comment', text: buffer.slice(start + 1, end) });
      return;
    }
    const found = buffer.indexOf(':', start);
    const colon = found === -1 || found > end ? end : found;
    const field = knownField(buffer, start, colon - start);
    if (field === null) return;
    let valueStart = colon + 1;
    if (valueStart < end && buffer.charCodeAt(valueStart) === SPACE) valueStart += 1;
    this.processField(field, colon === end ? '' : buffer.slice(valueStart, end), items);
  }

  private processField(field: Field, value: string, items: ItemSink): void {
    switch (field) {
      case 'event':
        this.eventType = value;
        return;
      case 'data':
        // The spec appends value and LF, and drops the last LF at dispatch: the lines joined by LF.
        this.data = this.hasData ? `${this.data}\n${value}` : value;
        this.hasData = true;
        return;
      case 'id':
        if (!value.includes('\u0000')) this.lastEventIdBuffer = value;
        return;
      case 'retry':
        if (/^[0-9]+$/.test(value)) items.push({ kind: 'retry', retryMs: Number.parseInt(value, 10) });
        return;
      default:
        return;
    }
  }

  private dispatch(items: ItemSink): void {
    this.committedLastEventId = this.lastEventIdBuffer;
    if (!this.hasData) {
      this.resetEvent();
      return;
    }
    items.push({
      kind: 'event',
      type: this.eventType === '' ? 'message' : this.eventType,
      data: this.data,
      lastEventId: this.lastEventIdBuffer,
    });
    this.resetEvent();
  }

  private resetEvent(): void {
    this.eventType = '';
    this.data = '';
    this.hasData = false;
  }
}
