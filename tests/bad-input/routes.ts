import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../setup/paths";
import { routeFiles, routeName, routesDir } from "../utils/route-files";

/**
 * The app's routes as addresses, read from the files under app/routes the way Remix's flat
 * routes name them, so that a route added tomorrow is walked by the bad-input test without
 * anyone listing it.
 */
export type Segment = { kind: "static"; value: string } | { kind: "param"; name: string } | { kind: "splat" };

export type Route = {
  /** The route module under app/routes (a folder route's `route.tsx` with its folder). */
  file: string;
  segments: Segment[];
  /** An index route: a form posting to it carries `?index`. */
  index: boolean;
  /** Names of its $params ("*" for a splat), in address order. */
  params: string[];
  hasAction: boolean;
  hasPage: boolean;
  /** The module that answers it, when that is not the route file (the server's media path). */
  module?: string;
};

/** Splits a flat-route name on the dots that separate segments; `[.]` is a literal dot. */
function splitName(name: string): string[] {
  const parts: string[] = [];
  let current = "";
  let escaped = false;
  for (const char of name) {
    if (char === "[") escaped = true;
    else if (char === "]") escaped = false;
    else if (char === "." && !escaped) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts;
}

export function routeFromFile(file: string, source = ""): Route {
  const parts = splitName(routeName(file));
  const index = parts.at(-1) === "_index";
  const segments: Segment[] = [];
  for (const part of index ? parts.slice(0, -1) : parts) {
    // A leading underscore is a pathless layout; a trailing one only opts out of nesting.
    if (part.startsWith("_")) continue;
    const name = part.replace(/_$/, "");
    if (name === "$") segments.push({ kind: "splat" });
    else if (name.startsWith("$")) segments.push({ kind: "param", name: name.slice(1) });
    else segments.push({ kind: "static", value: name });
  }
  return {
    file,
    segments,
    index,
    params: segments.flatMap((segment) =>
      segment.kind === "param" ? [segment.name] : segment.kind === "splat" ? ["*"] : [],
    ),
    hasAction: /export\s+(?:async\s+)?(?:function|const)\s+action\b|export\s*\{[^}]*\baction\b/.test(source),
    hasPage: /export\s+default\b/.test(source),
  };
}

/**
 * The films' addresses, answered by the platform's own server before Remix
 * (app/media/delivery.server.ts), walked like a route with a splat.
 */
export const MEDIA_ROUTE = "server: /media/$token/$";

/** Every route file, as route-roles.test.ts lists them, and the server's media path. */
export function appRoutes(): Route[] {
  return [
    ...routeFiles().map((file) => routeFromFile(file, fs.readFileSync(path.join(routesDir, file), "utf8"))),
    {
      ...routeFromFile("media.$token.$.ts"),
      file: MEDIA_ROUTE,
      module: path.join(projectRoot, "app/media/delivery.server.ts"),
    },
  ];
}

/** The address of a route with the given path params; values are put in as they are, already encoded. */
export function routePath(route: Route, params: Record<string, string>): string {
  const parts = route.segments.map((segment) => {
    if (segment.kind === "static") return encodeURIComponent(segment.value);
    const value = params[segment.kind === "param" ? segment.name : "*"];
    if (value === undefined)
      throw new Error(`${route.file}: no value for ${segment.kind === "param" ? segment.name : "*"}`);
    return value;
  });
  return `/${parts.join("/")}`;
}

/** The address an action of the route is posted to, as Remix's <Form> writes it. */
export const actionPath = (route: Route, params: Record<string, string>) =>
  `${routePath(route, params)}${route.index ? "?index" : ""}`;

/**
 * The route a pathname reaches and its params, as Remix ranks them: static segments before
 * params before a splat; null for a path no route takes.
 */
export function matchRoute(routes: Route[], pathname: string): { route: Route; params: Record<string, string> } | null {
  const parts = pathname.split("/").filter((part, i, all) => !(part === "" && (i === 0 || i === all.length - 1)));
  let best: { route: Route; params: Record<string, string>; score: number } | null = null;
  for (const route of routes) {
    const params: Record<string, string> = {};
    let score = 0;
    let matched = true;
    for (const [i, segment] of route.segments.entries()) {
      const part = parts[i];
      if (segment.kind === "splat") {
        params["*"] = parts.slice(i).join("/");
        score += 1;
        break;
      }
      if (part === undefined) {
        matched = false;
        break;
      }
      if (segment.kind === "static") {
        if (decodeSegment(part) !== segment.value) {
          matched = false;
          break;
        }
        score += 10;
      } else {
        params[segment.name] = part;
        score += 3;
      }
    }
    const hasSplat = route.segments.at(-1)?.kind === "splat";
    if (!matched || (!hasSplat && parts.length !== route.segments.length)) continue;
    if (!best || score > best.score) best = { route, params, score };
  }
  return best && { route: best.route, params: best.params };
}

function decodeSegment(part: string) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Query-string names the route reads: `searchParams.get("x")` (or `search.get`, `query.get`)
 * in the route file and in the app modules it imports (a folder route's own files too), one
 * level deep, where most of them live.
 */
export function queryNames(route: Route): string[] {
  const names = new Set<string>();
  const read = (file: string) => {
    const source = fs.readFileSync(file, "utf8");
    for (const match of source.matchAll(
      /\b(?:searchParams|search|query)\.(?:get|getAll|has)\(\s*["'`]([^"'`]+)["'`]\s*\)/g,
    ))
      names.add(match[1]!);
    return source;
  };
  const routeFile = route.module ?? path.join(routesDir, route.file);
  const source = read(routeFile);
  // A folder route's own components sit beside it and are imported as "./…".
  for (const match of source.matchAll(/from\s+["'](~\/|\.\/)([^"']+)["']/g)) {
    const base = match[1] === "~/" ? path.join(projectRoot, "app") : path.dirname(routeFile);
    for (const extension of [".ts", ".tsx"]) {
      const file = path.join(base, `${match[2]}${extension}`);
      if (fs.existsSync(file)) read(file);
    }
  }
  return [...names].sort();
}
