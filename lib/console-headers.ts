/**
 * The FA console's Content-Security-Policy, once: CloudFront's response-headers policy
 * (lib/constructs/web-console.ts) and the local server (local/console-site.ts) send the same one.
 * Everything is bundled at build time, so scripts, styles and fonts come from the site itself;
 * the API is the only other origin the console talks to (same origin locally).
 */
export function consoleCsp(apiOrigins: readonly string[] = [], identityOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...apiOrigins, ...identityOrigins].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONSOLE_CSP = consoleCsp();
