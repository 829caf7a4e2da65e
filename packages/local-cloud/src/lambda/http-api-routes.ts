/** A route key compiled for matching: `GET /orders/{id}`, `ANY /{proxy+}` or `$default`. */
export interface CompiledRoute<T> {
  readonly route: T;
  readonly method: string;
  readonly segments: readonly string[];
  readonly isDefault: boolean;
}

/** The route chosen for a request and the path parameters it captured (URL-decoded). */
export interface RouteMatch<T> {
  readonly route: T;
  readonly pathParameters: Readonly<Record<string, string>>;
}

const splitPath = (path: string): string[] => path.split('/').slice(1);

/** Compiles `routeKey`s; throws on a key that is neither `$default` nor `METHOD /path`. */
export const compileRoutes = <T extends { readonly routeKey: string }>(
  routes: readonly T[],
): CompiledRoute<T>[] =>
  routes.map((route) => {
    if (route.routeKey === '$default') return { route, method: 'ANY', segments: [], isDefault: true };
    const [method, path] = route.routeKey.split(' ');
    if (method === undefined || path === undefined || !path.startsWith('/')) {
      throw new Error(`unsupported route key ${JSON.stringify(route.routeKey)}`);
    }
    return { route, method: method.toUpperCase(), segments: splitPath(path), isDefault: false };
  });

const parameterName = (segment: string): string | undefined =>
  segment.startsWith('{') && segment.endsWith('}') ? segment.slice(1, -1) : undefined;

/** Literal 2, parameter 1, greedy 0 per segment, or undefined when the route does not match the path. */
const score = (segments: readonly string[], parts: readonly string[], parameters: Record<string, string>) => {
  const scores: number[] = [];
  for (const [index, segment] of segments.entries()) {
    const name = parameterName(segment);
    if (name?.endsWith('+') === true) {
      if (index >= parts.length) return undefined;
      parameters[name.slice(0, -1)] = decodeURIComponent(parts.slice(index).join('/'));
      return [...scores, 0];
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (name === undefined) {
      if (part !== segment) return undefined;
      scores.push(2);
    } else {
      if (part === '') return undefined;
      parameters[name] = decodeURIComponent(part);
      scores.push(1);
    }
  }
  return segments.length === parts.length ? scores : undefined;
};

const compareScores = (a: readonly number[], b: readonly number[]): number => {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (b[index] ?? -1) - (a[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
};

/**
 * API Gateway HTTP API route selection: the most specific match wins — literal segments over `{param}` over
 * `{proxy+}`, then a named method over `ANY` — and `$default` catches the rest. `undefined` means 404.
 */
export const matchRoute = <T>(
  routes: readonly CompiledRoute<T>[],
  method: string,
  path: string,
): RouteMatch<T> | undefined => {
  const parts = splitPath(path);
  let best: { match: RouteMatch<T>; scores: number[]; anyMethod: boolean } | undefined;
  for (const compiled of routes) {
    if (compiled.isDefault || (compiled.method !== 'ANY' && compiled.method !== method.toUpperCase()))
      continue;
    const pathParameters: Record<string, string> = {};
    const scores = score(compiled.segments, parts, pathParameters);
    if (scores === undefined) continue;
    const anyMethod = compiled.method === 'ANY';
    const order =
      best === undefined
        ? -1
        : compareScores(scores, best.scores) || Number(anyMethod) - Number(best.anyMethod);
    if (order < 0) best = { match: { route: compiled.route, pathParameters }, scores, anyMethod };
  }
  if (best !== undefined) return best.match;
  const fallback = routes.find((compiled) => compiled.isDefault);
  return fallback === undefined ? undefined : { route: fallback.route, pathParameters: {} };
};
