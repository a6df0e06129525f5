/**
 * A small router for API Gateway proxy paths: routes are declared with OpenAPI path templates
 * (`/v1/stocks/{ticker}/summary`), so the routing table reads like the API document. Pure.
 */

export interface RouteSpec<Name extends string> {
  name: Name;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** An OpenAPI path template; each `{param}` matches one non-empty path segment. */
  path: string;
}

export type RouteMatch<Name extends string> =
  | { kind: 'matched'; name: Name; params: Record<string, string> }
  /** The path exists, but not for this method. */
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

/** The one value a malformed percent-escape decodes to; no parameter schema accepts it. */
export const MALFORMED_PARAM = '\u0000';

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return MALFORMED_PARAM;
  }
}

export function createRouter<Name extends string>(
  routes: ReadonlyArray<RouteSpec<Name>>,
): (method: string, path: string) => RouteMatch<Name> {
  const compiled = routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'));
    return { ...route, names, pattern: new RegExp(`^${source}$`) };
  });
  return (method, rawPath) => {
    // A trailing slash names the same resource.
    const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
    const candidates = compiled.flatMap((route) => {
      const match = route.pattern.exec(path);
      return match ? [{ route, values: match.slice(1) }] : [];
    });
    const found = candidates.find((c) => c.route.method === method.toUpperCase());
    if (found) {
      const params = Object.fromEntries(found.route.names.map((name, i) => [name, decode(found.values[i]!)]));
      return { kind: 'matched', name: found.route.name, params };
    }
    if (candidates.length > 0) return { kind: 'method_not_allowed', allow: [...new Set(candidates.map((c) => c.route.method))] };
    return { kind: 'not_found' };
  };
}
