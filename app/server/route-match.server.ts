import type { ServerBuild } from "@remix-run/node";
import { matchRoutes, type AgnosticRouteMatch, type AgnosticRouteObject } from "@remix-run/router";
import type { RouteHandle } from "~/utils/route-handle";

export type HandleRoute = AgnosticRouteObject & { handle?: RouteHandle };

/** The build's routes as the nested tree Remix matches addresses against. */
function routeTree(build: ServerBuild, parentId?: string): HandleRoute[] {
  return Object.values(build.routes)
    .filter((route) => route.parentId === parentId)
    .map((route) => {
      const children = routeTree(build, route.id);
      const base = {
        id: route.id,
        path: route.path,
        caseSensitive: route.caseSensitive,
        handle: route.module.handle as RouteHandle | undefined,
      };
      return route.index ? { ...base, index: true as const } : { ...base, children };
    });
}

/** The address a single-fetch data request (`/kurser.data`, `/_root.data`) stands for. */
function documentPath(pathname: string) {
  if (pathname === "/_root.data") return "/";
  return pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
}

/**
 * The routes an address matches, outermost first, as Remix will route it: the server needs them
 * before Remix runs (a body's limit) and after (the route a request is logged and counted under).
 */
export function routeMatcher(build: ServerBuild) {
  const tree = routeTree(build);
  // The address as Remix routes it: dot segments resolved and percent escapes kept.
  return (pathname: string): AgnosticRouteMatch<string, HandleRoute>[] =>
    matchRoutes(tree, documentPath(pathname)) ?? [];
}
