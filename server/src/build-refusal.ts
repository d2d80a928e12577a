/** Reason phrases for the refusals written straight to a socket (no `ServerResponse` there). */
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * A whole HTTP/1.1 response refusing a request, for the places that answer on the raw socket
 * (WebSocket upgrades, requests Node's parser rejected): a JSON body that says why, and
 * `Connection: close`. Pure.
 */
export function buildRefusal(status: number, error: string): string {
  const body = JSON.stringify({ error });
  return `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}
