import { randomUUID } from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import { recordRequest } from "~/ops/metrics.server";
import { routeMatcher } from "./route-match.server";

/** What a proxy's request id may look like (nginx's $request_id is 32 hex digits); anything else is replaced. */
const PROXY_REQUEST_ID = /^[\w.:-]{8,128}$/;
/** Route parameters whose values open something (media, invitation and join links, certificates): never logged. */
const SECRET_PARAMS = new Set(["token", "code"]);
const MEDIA_TOKEN = /^\/media\/[^/]*/;

export type RequestRoute = {
  /** Low-cardinality: the Remix route id, or a label the server sets in res.locals.route for what it answers itself. */
  route: string;
  /** The address without its query string (which may carry a reset token) and with secret parameters blanked. */
  path: string;
};

/** Where a request went, for the log line and the metrics; worked out once, after the answer. */
function requestRouteFinder(build: ServerBuild) {
  const matchesAt = routeMatcher(build);
  return (req: Request, res: Response): RequestRoute => {
    const known = res.locals.requestRoute as RequestRoute | undefined;
    if (known) return known;
    // originalUrl: a mounted middleware (the assets) sees req.path without its mount point.
    const pathname = req.originalUrl.split("?")[0] ?? "/";
    // Films are answered before Remix (app/media/delivery.server.ts), and refusals before them
    // (a cross-site request): no Remix route names their token, which is the address's first part.
    if (pathname.startsWith("/media/")) {
      const media = { route: "media", path: pathname.replace(MEDIA_TOKEN, "/media/:secret") };
      res.locals.requestRoute = media;
      return media;
    }
    const matches = matchesAt(pathname);
    const secrets = new Set(
      Object.entries(matches.at(-1)?.params ?? {})
        .filter(([name, value]) => SECRET_PARAMS.has(name) && value)
        .map(([, value]) => value),
    );
    const path = pathname
      .split("/")
      .map((segment) => {
        let decoded = segment;
        try {
          decoded = decodeURIComponent(segment);
        } catch {
          // A malformed escape is logged as sent.
        }
        if (secrets.has(decoded)) return ":secret";
        // A single-fetch request is the route's address plus ".data" (`/deltag/<code>.data`).
        return decoded.endsWith(".data") && secrets.has(decoded.slice(0, -".data".length)) ? ":secret.data" : segment;
      })
      .join("/");
    const route =
      typeof res.locals.route === "string"
        ? res.locals.route
        : pathname.startsWith(build.publicPath)
          ? "assets"
          : (matches.at(-1)?.route.id ?? "unmatched");
    const found = { route, path };
    res.locals.requestRoute = found;
    return found;
  };
}

/**
 * The id a request is known by in the log and to the person who reports a problem: the one nginx
 * made ($request_id) when the request came through a trusted proxy, so its access log and ours
 * line up; otherwise a new one, since a client could send any id to blur the log.
 */
function requestId(req: Request, res: Response): string {
  const proposed = req.get("x-request-id");
  const trust = req.app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
  const id =
    proposed !== undefined && PROXY_REQUEST_ID.test(proposed) && trust(req.socket.remoteAddress, 0)
      ? proposed
      : randomUUID();
  res.setHeader("X-Request-Id", id);
  return id;
}

/**
 * Logs every request once it is answered: id, method, route, path, status and duration, at info
 * (server errors at error, with the error), and never headers, cookies, query strings or bodies.
 * Counts it in the request metrics under the same route.
 */
export function observeRequests(build: ServerBuild, logger: Logger) {
  const routeOf = requestRouteFinder(build);
  const logging = pinoHttp<Request, Response>({
    logger,
    genReqId: requestId,
    // Only the id is bound to req.log: pino-http would otherwise bind the whole request, headers and all.
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: "requestId" },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
    customSuccessMessage: () => "request",
    customErrorMessage: () => "request failed",
    customSuccessObject: (req, res, value: { responseTime: number }) => ({
      method: req.method,
      ...routeOf(req, res),
      status: res.statusCode,
      durationMs: value.responseTime,
    }),
    customErrorObject: (req, res, error, value: { responseTime: number }) => ({
      method: req.method,
      ...routeOf(req, res),
      status: res.statusCode,
      durationMs: value.responseTime,
      err: error,
    }),
  });
  const counting = (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      recordRequest(req.method, routeOf(req, res).route, res.statusCode, seconds);
    });
    next();
  };
  return [logging, counting];
}
