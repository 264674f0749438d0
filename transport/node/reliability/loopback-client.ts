/**
 * The client side of the reliability checks, on real sockets and nothing of the transport's own
 * client: open an event stream up to its welcome (then keep reading, or pause like a reader that
 * stopped), and POST a message with the connection header. A failed POST answers 0, since these
 * checks kill servers mid-request on purpose.
 */
import http from 'node:http';

/** A stream read up to its welcome; a paused one then reads nothing more. */
export function openStream(
  url: string,
  keepReading: boolean,
): Promise<{ connectionId: string; request: http.ClientRequest }> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL('/api/chat/events', url), (response) => {
      let text = '';
      response.setEncoding('utf8');
      const onData = (chunk: string) => {
        text += chunk;
        const match = /"connectionId":"([^"]+)"/.exec(text);
        if (!match) return;
        text = '';
        if (!keepReading) {
          response.off('data', onData);
          response.pause();
        }
        resolve({ connectionId: match[1]!, request });
      };
      response.on('data', onData);
      response.on('error', () => {});
    });
    request.on('error', (error) => (keepReading ? reject(error) : undefined));
  });
}

export function post(url: string, connectionId: string, endpoint: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const request = http.request(
      new URL(`/api/chat/${endpoint}`, url),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-connection-id': connectionId },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', () => resolve(0));
    request.end(payload);
  });
}
