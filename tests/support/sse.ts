export interface SseMessage {
  id: string;
  event: string;
  data: { id: string; type: string; orderId: string | null; payload: Record<string, unknown> };
}

/** Reads a server-sent event stream in the background; `messages` fills as events arrive. */
export function openStream(url: string, headers: Record<string, string> = {}): { messages: SseMessage[]; status: Promise<number>; ended: Promise<void>; close(): void } {
  const controller = new AbortController();
  const messages: SseMessage[] = [];
  let markEnded = (): void => undefined;
  /** Resolves when the server ends the stream (or close() aborts it). */
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const status = fetch(url, { headers, signal: controller.signal }).then((res) => {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
            if (fields.data) messages.push({ id: fields.id!, event: fields.event!, data: JSON.parse(fields.data) as SseMessage['data'] });
          }
        }
      } catch {
        // aborted by close(), or the server dropped the connection
      }
      markEnded();
    })();
    return res.status;
  });
  return { messages, status, ended, close: () => controller.abort() };
}
