import type { Transport } from "../gateway/transport/mod.ts";

/** A `Transport` that records frames, for unit tests of the core. */
export class FakeTransport implements Transport {
  readonly sent: string[] = [];
  closed: { code: number; reason: string } | null = null;
  bufferedAmount = 0;
  lastSeen = Date.now();
  pings = 0;

  get open(): boolean {
    return this.closed === null;
  }

  send(text: string): void {
    if (this.open) this.sent.push(text);
  }

  destroy(): void {
    if (this.closed === null) this.closed = { code: 1006, reason: "destroyed" };
  }

  ping(): void {
    if (this.open) this.pings++;
  }

  close(code: number, reason: string): void {
    if (this.closed === null) this.closed = { code, reason };
  }

  /** The frames sent so far, parsed. */
  frames(): Array<Record<string, unknown>> {
    return this.sent.map((s) => JSON.parse(s));
  }
}
