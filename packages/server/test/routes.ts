import type { FastifyInstance, HTTPMethods } from 'fastify';

export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * Every route the app registered, read from Fastify's own route tree (`printRoutes`), so a route
 * added tomorrow shows up here without anyone listing it. Each line of the tree is a path segment
 * under its parent; the methods follow in parentheses. Every parsed route is checked back with
 * `hasRoute`, so a change in the printout's format fails loudly instead of hiding routes.
 * `ignorePrefixes` leaves out routes a plugin owns (the API reference page's assets), whose
 * wildcard static routes the printout shows in a form `hasRoute` does not take back.
 */
export function registeredRoutes(app: FastifyInstance, options: { ignorePrefixes?: string[] } = {}): RegisteredRoute[] {
  const stack: string[] = [];
  const routes: RegisteredRoute[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    // The root's children are printed without the root's slash (`* (GET, HEAD)` is `/*`).
    const url = stack.join('').replace(/^(?!\/)/, '/');
    if (options.ignorePrefixes?.some((p) => url.startsWith(p))) continue;
    for (const method of (match[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean)) {
      if (!app.hasRoute({ method: method as HTTPMethods, url }))
        throw new Error(`parsed ${method} ${url} from printRoutes, but Fastify does not know it`);
      routes.push({ method, url });
    }
  }
  if (routes.length < 10) throw new Error(`only ${routes.length} routes parsed from printRoutes: has its format changed?`);
  return routes;
}
