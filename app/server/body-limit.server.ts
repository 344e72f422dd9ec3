import { Transform } from "node:stream";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import type { ServerBuild } from "@remix-run/node";
import type { Env } from "~/env.server";
import type { RequestBodyKind, RouteHandle } from "~/utils/route-handle";

const MiB = 1024 * 1024;

/**
 * How many bytes each kind of body may have. A form is a few kilobytes (the longest, a feedback
 * builder with 50 questions, stays well under 1 MiB); a CSV of 10,000 staff in Windows-1252 is
 * about 1 MiB; the film page sends films in 8 MiB pieces; only the page's plain form without
 * JavaScript sends a whole film.
 */
export function bodyLimits(env: Pick<Env, "MAX_UPLOAD_BYTES">): Record<RequestBodyKind, number> {
  return { form: MiB, csvFile: 16 * MiB, filmPiece: 9 * MiB, film: env.MAX_UPLOAD_BYTES + MiB };
}

type HandleRoute = AgnosticRouteObject & { handle?: RouteHandle };

/** The build's routes as the nested tree Remix matches addresses against. */
function routeTree(build: ServerBuild, parentId?: string): HandleRoute[] {
  return Object.values(build.routes)
    .filter((route) => route.parentId === parentId)
    .map((route) => {
      const children = routeTree(build, route.id);
      const base = { id: route.id, path: route.path, caseSensitive: route.caseSensitive, handle: route.module.handle as RouteHandle | undefined };
      return route.index ? { ...base, index: true as const } : { ...base, children };
    });
}

/** The address a single-fetch data request (`/kurser.data`, `/_root.data`) stands for. */
function documentPath(pathname: string) {
  if (pathname === "/_root.data") return "/";
  return pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
}

/** Which kind of body the route at an address takes, so the server knows its limit before reading. */
export function bodyKindFinder(build: ServerBuild) {
  const tree = routeTree(build);
  return (pathname: string): RequestBodyKind => {
    const matches = matchRoutes(tree, documentPath(pathname)) ?? [];
    const declared = matches.map((match) => (match.route as HandleRoute).handle?.requestBody).filter((kind) => kind !== undefined);
    return declared.at(-1) ?? "form";
  };
}

/**
 * Passes a request body through, counting bytes, and stops with `onTooLarge` at the first byte
 * past the limit, so nothing larger is ever buffered. A body whose Content-Length already says
 * it is too large is refused before this is needed.
 */
export function limitedBody(limit: number, onTooLarge: () => void) {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.byteLength;
      if (received > limit) {
        onTooLarge();
        callback(new Error("Request body too large"));
        return;
      }
      callback(null, chunk);
    },
  });
}
