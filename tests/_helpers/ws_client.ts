/** A raw test client: sends frames, collects every frame it receives, awaits closes. */
export class WsClient {
  readonly socket: WebSocket;
  readonly frames: Array<Record<string, unknown>> = [];
  /** When each frame of `frames` arrived (`Date.now()`). */
  readonly arrivals: number[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<CloseEvent>;
  #waiters: Array<() => void> = [];

  private constructor(url: string, headers: Record<string, string>, client?: Deno.HttpClient) {
    // Deno's options bag: headers, and an HTTP client (one that trusts a test certificate).
    this.socket = new WebSocket(url, { headers, client } as unknown as string[]);
    const open = Promise.withResolvers<void>();
    const closed = Promise.withResolvers<CloseEvent>();
    this.opened = open.promise;
    this.closed = closed.promise;
    this.socket.onopen = () => open.resolve();
    this.socket.onerror = () => open.reject(new Error("websocket error before open"));
    this.socket.onclose = (e) => {
      open.resolve();
      closed.resolve(e);
      this.#wake();
    };
    this.socket.onmessage = (e) => {
      this.frames.push(JSON.parse(String(e.data)));
      this.arrivals.push(Date.now());
      this.#wake();
    };
    this.opened.catch(() => {});
  }

  /**
   * Opens a connection and waits for it. `headers` may carry `cookie` and
   * `origin`; `client` is for `wss://` to a server with a test certificate.
   */
  static async connect(
    url: string,
    headers: Record<string, string> = {},
    http?: Deno.HttpClient,
  ): Promise<WsClient> {
    const client = new WsClient(url, headers, http);
    await client.opened;
    return client;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Waits for the first frame (received from index `from` on) matching `predicate`. */
  async next(
    predicate: (f: Record<string, unknown>) => boolean,
    options: { timeoutMs?: number; from?: number } = {},
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    let index = options.from ?? 0;
    while (true) {
      for (; index < this.frames.length; index++) {
        const f = this.frames[index] as Record<string, unknown>;
        if (predicate(f)) return f;
      }
      if (this.socket.readyState === WebSocket.CLOSED) {
        throw new Error("socket closed while waiting");
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting; got ${JSON.stringify(this.frames.slice(-3))}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends a request with `_seq` and resolves every frame answering it, up to the terminal one. */
  async request(
    frame: Record<string, unknown>,
    timeoutMs = 5000,
  ): Promise<Array<Record<string, unknown>>> {
    const seq = frame._seq as number;
    const from = this.frames.length;
    this.send(frame);
    const answers: Array<Record<string, unknown>> = [];
    let index = from;
    while (true) {
      const f = await this.next((x) => x.seq === seq, { timeoutMs, from: index });
      index = this.frames.indexOf(f, index) + 1;
      answers.push(f);
      if (f._event !== "pool_response" || f.finished === true) return answers;
    }
  }

  /** Like `request`, returning only the terminal frame. */
  async ask(frame: Record<string, unknown>, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const answers = await this.request(frame, timeoutMs);
    return answers[answers.length - 1] as Record<string, unknown>;
  }

  /** Frames received so far matching `predicate`. */
  received(predicate: (f: Record<string, unknown>) => boolean): Array<Record<string, unknown>> {
    return this.frames.filter(predicate);
  }

  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close(1000);
    await this.closed;
  }
}
