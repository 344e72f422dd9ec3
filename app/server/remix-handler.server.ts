import type { IncomingHttpHeaders } from "node:http";
import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { bodyKindFinder, limitedBody } from "./body-limit.server";
import { refuse } from "./refusals.server";
import { clientAddressOf, cspNonceOf } from "./security.server";
import type { RequestBodyKind } from "~/utils/route-handle";

function fetchHeaders(incoming: IncomingHttpHeaders) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  // The server has checked Origin against the site's address already (security.server.ts). Remix
  // would check it again against the Host header alone, which a proxy may have rewritten, and
  // answer a genuine form with a 500.
  headers.delete("origin");
  return headers;
}

/**
 * Hands requests to Remix with two things @remix-run/express does not do: the body is read
 * through a byte limit chosen by the route (413 at the first byte too many, nothing buffered
 * beyond it), and the response's headers replace the server's defaults instead of being added
 * beside them, so a route's own Referrer-Policy or Cache-Control is the one the browser gets.
 */
export function remixRequestHandler(build: ServerBuild, mode: string, limits: Record<RequestBodyKind, number>) {
  // Remix leaves error details (stack traces) in what it sends in any mode but production; the
  // test servers run NODE_ENV=test and must show what production shows.
  const handleRequest = createRequestHandler(build, mode === "development" ? "development" : "production");
  const bodyKindAt = bodyKindFinder(build);

  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const url = requestUrl(req);
      // A Host header no URL can be made of (a:99999) is not a request for this site.
      if (!url) return refuse(res, "badRequest");
      const limit = limits[bodyKindAt(url)];
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      if (hasBody && Number(req.get("content-length") ?? 0) > limit) return refuse(res, "tooLarge");

      const controller = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const tooLarge = () => {
        refuse(res, "tooLarge");
        // The route's work is moot now; aborted, Remix does not log the failed read as an error.
        controller.abort();
      };
      const request = new Request(url, {
        method: req.method,
        headers: fetchHeaders(req.headers),
        signal: controller.signal,
        ...(hasBody ? { body: limitedBody(req, limit, tooLarge), duplex: "half" } : {}),
      } as RequestInit);

      const response = await handleRequest(request, {
        cspNonce: cspNonceOf(res),
        clientAddress: clientAddressOf(req),
        requestId: String(req.id),
      });
      // The body was refused while it was being read; whatever the route made of it is moot.
      if (res.headersSent) return;
      res.status(response.status);
      for (const [name, value] of response.headers) {
        if (name !== "set-cookie") res.setHeader(name, value);
      }
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  };
}

function requestUrl(req: ExpressRequest): URL | null {
  try {
    return new URL(`${req.protocol}://${req.get("host")}${req.originalUrl}`);
  } catch {
    return null;
  }
}
