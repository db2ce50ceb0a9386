/**
 * The soak's memory over time as an SVG: the server's RSS and its JS heap
 * in use, sampled every 10 s, on linear axes from zero, so a leak shows as
 * a rising line and a plateau as a flat one.
 *
 * @module
 */

export interface MemorySample {
  /** Seconds since the soak started. */
  t: number;
  rssMiB: number;
  heapMiB: number;
  connections: number;
}

const W = 900;
const H = 420;
const X0 = 70;
const Y0 = 60;
const PW = 780;
const PH = 280;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A round step that gives about `count` ticks up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

export function memoryChart(samples: readonly MemorySample[], title: string, subtitle: string) {
  const tMax = Math.max(60, ...samples.map((s) => s.t));
  const yTop = Math.max(1, ...samples.map((s) => Math.max(s.rssMiB, s.heapMiB))) * 1.1;
  const tStep = niceStep(tMax / 60, 8) * 60;
  const yStep = niceStep(yTop, 6);
  const yMax = Math.ceil(yTop / yStep) * yStep;
  const sx = (t: number) => X0 + (t / tMax) * PW;
  const sy = (v: number) => Y0 + PH - (v / yMax) * PH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      `font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="700">${
      esc(title)
    }</text>`,
  );
  out.push(`<text x="${W / 2}" y="40" text-anchor="middle" fill="#6b7280">${esc(subtitle)}</text>`);
  out.push(
    `<rect x="${X0}" y="${Y0}" width="${PW}" height="${PH}" fill="#fafafa" stroke="#d1d5db"/>`,
  );
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    out.push(`<line x1="${X0}" y1="${sy(v)}" x2="${X0 + PW}" y2="${sy(v)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${X0 - 6}" y="${sy(v) + 4}" text-anchor="end" fill="#374151">${v}</text>`);
  }
  for (let t = 0; t <= tMax + 1e-9; t += tStep) {
    out.push(`<line x1="${sx(t)}" y1="${Y0}" x2="${sx(t)}" y2="${Y0 + PH}" stroke="#e5e7eb"/>`);
    out.push(
      `<text x="${sx(t)}" y="${Y0 + PH + 16}" text-anchor="middle" fill="#374151">${
        Math.round(t / 60)
      }</text>`,
    );
  }
  out.push(
    `<text x="${X0 + PW / 2}" y="${
      Y0 + PH + 34
    }" text-anchor="middle" fill="#374151">minutes</text>`,
  );
  out.push(
    `<text x="${X0 - 48}" y="${Y0 + PH / 2}" text-anchor="middle" fill="#374151" ` +
      `transform="rotate(-90 ${X0 - 48} ${Y0 + PH / 2})">MiB</text>`,
  );
  const lines: Array<[keyof MemorySample, string, string]> = [
    ["rssMiB", "#2563eb", "RSS (resident memory)"],
    ["heapMiB", "#ea580c", "JS heap in use"],
  ];
  lines.forEach(([key, color, label], i) => {
    const pts = samples.map((s) => `${sx(s.t).toFixed(1)},${sy(s[key]).toFixed(1)}`).join(" ");
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`);
    const lx = X0 + i * 220;
    const ly = H - 36;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${lx + 28}" y="${ly + 4}" fill="#111827">${esc(label)}</text>`);
  });
  out.push(
    `<text x="${X0}" y="${H - 12}" fill="#6b7280">Sampled every 10 s from /proc (RSS) and ` +
      `the gateway's /metrics (heap); the heap saws with V8's collections.</text>`,
  );
  out.push("</svg>");
  return out.join("\n") + "\n";
}
