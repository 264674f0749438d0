/**
 * Which session event a delivered SSE frame carries, read from its text: the history records it
 * per client and stream, so properties can check the order frames arrived in.
 */
const DATA_PREFIX = 'data: ';
/** How a session event's JSON starts when written by JSON.stringify of the transport's frame object. */
const SESSION_EVENT_HEAD = '{"type":"session_event","seq":';
const SESSION_ID_MEMBER = ',"sessionId":"';

/** The (sessionId, seq) of a session event frame's SSE text, or null for any other frame. */
export function sessionEventIn(chunk: string): { sessionId: string; seq: number } | null {
  // The first line that starts with "data: ", found without splitting every frame into lines.
  let start = 0;
  if (!chunk.startsWith(DATA_PREFIX)) {
    const newline = chunk.indexOf(`\n${DATA_PREFIX}`);
    if (newline === -1) return null;
    start = newline + 1;
  }
  const end = chunk.indexOf('\n', start);
  const data = chunk.slice(start + DATA_PREFIX.length, end === -1 ? chunk.length : end);
  return sessionEventHead(data) ?? sessionEventParsed(data);
}

/**
 * The two members read straight from the text when they lead the object as the transport writes
 * them; parsing every frame's JSON, several hundred per run, showed in profiles. Members are
 * unique in JSON.stringify output, so the leading ones are the ones a parse would return.
 */
function sessionEventHead(data: string): { sessionId: string; seq: number } | null {
  if (!data.startsWith(SESSION_EVENT_HEAD) || !data.endsWith('}')) return null;
  const seqEnd = data.indexOf(',', SESSION_EVENT_HEAD.length);
  if (seqEnd === -1 || !data.startsWith(SESSION_ID_MEMBER, seqEnd)) return null;
  const seqText = data.slice(SESSION_EVENT_HEAD.length, seqEnd);
  const idStart = seqEnd + SESSION_ID_MEMBER.length;
  const idEnd = data.indexOf('"', idStart);
  const sessionId = data.slice(idStart, idEnd);
  // Anything unusual (an escape in the id, a seq that is not a plain integer) takes the full parse.
  if (idEnd === -1 || sessionId.includes('\\') || !/^(0|[1-9][0-9]*)$/.test(seqText)) return null;
  return { sessionId, seq: Number(seqText) };
}

function sessionEventParsed(data: string): { sessionId: string; seq: number } | null {
  if (!data.includes('"type":"session_event"')) return null;
  try {
    const frame = JSON.parse(data) as { sessionId?: unknown; seq?: unknown };
    return typeof frame.sessionId === 'string' && typeof frame.seq === 'number'
      ? { sessionId: frame.sessionId, seq: frame.seq }
      : null;
  } catch {
    return null;
  }
}
