/**
 * Lighthouse, run as its own command line (a Node program) against a real
 * node, with its defaults: mobile emulation, simulated slow 4G and 4× CPU
 * throttling. Its findings are reported in its own words: each category's
 * score, and every scored audit below full marks with its title, value
 * and the items it names.
 *
 * @module
 */
import { ensureAuditTools } from "../../tools/audit_tools.ts";

export const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
export type Category = typeof CATEGORIES[number];

/** The metrics the performance score is made of. */
const METRICS = [
  "first-contentful-paint",
  "largest-contentful-paint",
  "total-blocking-time",
  "cumulative-layout-shift",
  "speed-index",
] as const;

/** What one Lighthouse run found. */
export interface LighthouseReport {
  readonly url: string;
  readonly version: string;
  /** 0 to 100 per category (null when Lighthouse could not score it). */
  readonly scores: Readonly<Record<Category, number | null>>;
  /** `first-contentful-paint: 1.1 s`, … */
  readonly metrics: readonly string[];
  /** Scored audits below full marks, one block each. */
  readonly findings: readonly string[];
  /** Lighthouse's own warnings about the run (a slow host, a page that did not settle). */
  readonly warnings: readonly string[];
}

interface Audit {
  readonly title: string;
  readonly score: number | null;
  readonly displayValue?: string;
  readonly details?: { readonly items?: ReadonlyArray<Record<string, unknown>> };
}

interface Lhr {
  readonly lighthouseVersion: string;
  readonly runWarnings?: readonly string[];
  readonly categories: Record<string, {
    readonly score: number | null;
    readonly auditRefs: ReadonlyArray<{ readonly id: string; readonly weight: number }>;
  }>;
  readonly audits: Record<string, Audit>;
}

/** One line per item an audit names: an element with what is wrong with it, or a URL. */
function describeItem(item: Record<string, unknown>): string {
  const node = item.node as { snippet?: string; explanation?: string } | undefined;
  if (node?.snippet !== undefined) {
    const why = (node.explanation ?? "").replace(/\s+/g, " ").trim();
    return `${node.snippet}${why ? ` — ${why}` : ""}`;
  }
  const text = ["url", "source", "description", "label", "issueType"]
    .map((key) => item[key])
    .find((value) => typeof value === "string" || typeof value === "object");
  return typeof text === "string" ? text : JSON.stringify(text ?? item).slice(0, 300);
}

function findingsOf(lhr: Lhr): string[] {
  const findings: string[] = [];
  for (const category of CATEGORIES) {
    for (const ref of lhr.categories[category]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (ref.weight === 0 || audit === undefined || audit.score === null || audit.score >= 1) {
        continue;
      }
      const items = (audit.details?.items ?? []).slice(0, 10).map((item) =>
        `      ${describeItem(item)}`
      );
      findings.push(
        [
          `  [${category}] ${ref.id} (score ${audit.score}${
            audit.displayValue ? `, ${audit.displayValue}` : ""
          }): ${audit.title}`,
          ...items,
        ].join("\n"),
      );
    }
  }
  return findings;
}

/**
 * Runs Lighthouse once on `url`. `headers` go with every request the page
 * makes (a session cookie, say); they are never printed.
 */
export async function runLighthouse(
  url: string,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<LighthouseReport> {
  const tools = await ensureAuditTools();
  const args = [
    tools.lighthouseCli,
    url,
    "--output=json",
    "--output-path=stdout",
    "--quiet",
    `--only-categories=${CATEGORIES.join(",")}`,
    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
  ];
  if (options.headers !== undefined) {
    args.push(`--extra-headers=${JSON.stringify(options.headers)}`);
  }
  const output = await new Deno.Command("node", {
    args,
    env: { CHROME_PATH: "/usr/bin/chromium" },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 180_000),
  }).output();
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr).slice(-2000);
    throw new Error(`Lighthouse failed on ${url} (exit ${output.code}):\n${stderr}`);
  }
  const lhr = JSON.parse(new TextDecoder().decode(output.stdout)) as Lhr;
  const scores = {} as Record<Category, number | null>;
  for (const category of CATEGORIES) {
    const score = lhr.categories[category]?.score;
    scores[category] = typeof score === "number" ? Math.round(score * 100) : null;
  }
  return {
    url,
    version: lhr.lighthouseVersion,
    scores,
    metrics: METRICS.map((id) => `${id}: ${lhr.audits[id]?.displayValue ?? "?"}`),
    findings: findingsOf(lhr),
    warnings: [...(lhr.runWarnings ?? [])],
  };
}

/** A run as Lighthouse reported it: scores, metrics, findings, warnings. */
export function formatLighthouse(report: LighthouseReport): string {
  const scores = CATEGORIES.map((category) => `${category} ${report.scores[category] ?? "–"}`);
  return [
    `Lighthouse ${report.version} on ${report.url}: ${scores.join(" / ")}`,
    `  ${report.metrics.join(", ")}`,
    ...report.findings,
    ...report.warnings.map((warning) => `  warning: ${warning}`),
  ].join("\n");
}
