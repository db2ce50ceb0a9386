/** One thing to probe: a shard queue, say. */
export interface HealthProbe {
  readonly name: string;
  probe(signal: AbortSignal): Promise<void>;
}

/** What the last probe of one target found. */
export interface ProbeResult {
  readonly ok: boolean;
  /** When it was probed (ms since the epoch); 0 before the first probe. */
  readonly checkedAt: number;
  readonly latencyMs: number;
}

/**
 * The backend's health as a cached signal: every target (each shard queue)
 * is probed in the background every `intervalMs`, each probe with its own
 * deadline, so asking whether the backend is healthy costs nothing and
 * never waits on the backend. Probes of one round run concurrently.
 */
export class BackendHealth {
  readonly #probes: readonly HealthProbe[];
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #results = new Map<string, ProbeResult>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #round: Promise<void> | undefined;
  #stopped = false;

  constructor(options: { probes: readonly HealthProbe[]; intervalMs: number; timeoutMs: number }) {
    this.#probes = options.probes;
    this.#intervalMs = options.intervalMs;
    this.#timeoutMs = options.timeoutMs;
    for (const p of this.#probes) {
      this.#results.set(p.name, { ok: false, checkedAt: 0, latencyMs: 0 });
    }
  }

  /** Probes at once, then every interval. Resolves after the first round. */
  async start(): Promise<void> {
    await this.#probeAll();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#round;
  }

  #probeAll(): Promise<void> {
    this.#round = Promise.all(this.#probes.map(async (p) => {
      const started = performance.now();
      let ok = true;
      try {
        await p.probe(AbortSignal.timeout(this.#timeoutMs));
      } catch {
        ok = false;
      }
      this.#results.set(p.name, {
        ok,
        checkedAt: Date.now(),
        latencyMs: Math.round(performance.now() - started),
      });
    })).then(() => {
      if (!this.#stopped) this.#timer = setTimeout(() => void this.#probeAll(), this.#intervalMs);
    });
    return this.#round;
  }

  /** True when every target answered its last probe. */
  get healthy(): boolean {
    for (const r of this.#results.values()) if (!r.ok) return false;
    return true;
  }

  /** The last result of every target. */
  snapshot(): Record<string, ProbeResult> {
    return Object.fromEntries(this.#results);
  }
}
