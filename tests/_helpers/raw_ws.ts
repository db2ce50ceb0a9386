/**
 * A raw WebSocket client over TCP, for tests that need what a browser
 * client cannot do: stop reading (a slow consumer), or never answer pings.
 */
export class RawWs {
  readonly conn: Deno.Conn;
  #buffer = new Uint8Array(0);

  private constructor(conn: Deno.Conn) {
    this.conn = conn;
  }

  /** Connects and completes the upgrade; extra headers (cookie) are sent as given. */
  static async connect(url: URL, headers: Record<string, string> = {}): Promise<RawWs> {
    const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
    await conn.write(new TextEncoder().encode(
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
    ));
    const ws = new RawWs(conn);
    // Read until the end of the HTTP response head.
    while (true) {
      const text = new TextDecoder().decode(ws.#buffer);
      const end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        if (!text.startsWith("HTTP/1.1 101")) {
          throw new Error(`upgrade refused: ${text.slice(0, 40)}`);
        }
        ws.#buffer = ws.#buffer.slice(new TextEncoder().encode(text.slice(0, end + 4)).length);
        return ws;
      }
      if (!(await ws.#fill())) throw new Error("closed during upgrade");
    }
  }

  #pending: Promise<boolean> | null = null;

  /** One read at a time: a read still pending from an earlier wait is reused. */
  #fill(): Promise<boolean> {
    this.#pending ??= this.#readOnce().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #readOnce(): Promise<boolean> {
    const chunk = new Uint8Array(256 * 1024);
    let n: number | null;
    try {
      n = await this.conn.read(chunk);
    } catch {
      return false;
    }
    if (n === null) return false;
    const merged = new Uint8Array(this.#buffer.length + n);
    merged.set(this.#buffer);
    merged.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = merged;
    return true;
  }

  /** Sends a masked text frame. */
  async send(text: string): Promise<void> {
    const payload = new TextEncoder().encode(text);
    const mask = crypto.getRandomValues(new Uint8Array(4));
    const head = payload.length < 126
      ? [0x81, 0x80 | payload.length]
      : [0x81, 0x80 | 126, payload.length >> 8, payload.length & 255];
    const frame = new Uint8Array(head.length + 4 + payload.length);
    frame.set(head);
    frame.set(mask, head.length);
    for (let i = 0; i < payload.length; i++) {
      frame[head.length + 4 + i] = payload[i]! ^ mask[i % 4]!;
    }
    await this.conn.write(frame);
  }

  /**
   * Reads frames until `until` returns true for one, the connection ends,
   * or the timeout passes. Returns text payloads and, if seen, the close code.
   */
  async read(
    until: (text: string) => boolean = () => false,
    timeoutMs = 10_000,
  ): Promise<{ texts: string[]; closeCode: number | null }> {
    const texts: string[] = [];
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const frame = this.#take();
      if (frame === null) {
        const more = await Promise.race([
          this.#fill(),
          new Promise<boolean>((r) => setTimeout(() => r(true), 50)),
        ]);
        if (!more) return { texts, closeCode: null };
        continue;
      }
      if (frame.opcode === 8) {
        const code = frame.payload.length >= 2
          ? (frame.payload[0]! << 8) | frame.payload[1]!
          : 1005;
        return { texts, closeCode: code };
      }
      if (frame.opcode === 1) {
        const text = new TextDecoder().decode(frame.payload);
        texts.push(text);
        if (until(text)) return { texts, closeCode: null };
      }
    }
    return { texts, closeCode: null };
  }

  #take(): { opcode: number; payload: Uint8Array } | null {
    const b = this.#buffer;
    if (b.length < 2) return null;
    const opcode = b[0]! & 0x0f;
    let len = b[1]! & 0x7f;
    let offset = 2;
    if (len === 126) {
      if (b.length < 4) return null;
      len = (b[2]! << 8) | b[3]!;
      offset = 4;
    } else if (len === 127) {
      if (b.length < 10) return null;
      len = Number(new DataView(b.buffer, b.byteOffset + 2, 8).getBigUint64(0));
      offset = 10;
    }
    if (b.length < offset + len) return null;
    const payload = b.slice(offset, offset + len);
    this.#buffer = b.slice(offset + len);
    return { opcode, payload };
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}
