/** The cookie the REST API sets: `token` in production, `dev-token` otherwise. */
export function tokenCookieName(production: boolean): string {
  return production ? "token" : "dev-token";
}

/** Reads one cookie from a `Cookie` header; undefined when absent. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}
