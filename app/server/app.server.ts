import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import type { ServerBuild } from "@remix-run/node";
import type { Env } from "~/env.server";
import { mediaDelivery, type MediaDeliveryEnv } from "~/media/delivery.server";
import { logger } from "~/ops/logger.server";
import { recordMediaBytes } from "~/ops/metrics.server";
import { bodyLimits } from "./body-limit.server";
import { refuse } from "./refusals.server";
import { remixRequestHandler } from "./remix-handler.server";
import { observeRequests } from "./request-log.server";
import { assignCspNonce, isCrossSiteRequest, permissionsPolicy, securityHeaders } from "./security.server";

/**
 * A proxy in front that is not trusted makes every person the same client to the rate limits (one
 * town hall's typos could then stop everyone): said once in the log, where the operator looks.
 */
function warnOfUntrustedProxy() {
  let warned = false;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!warned && req.get("x-forwarded-for") !== undefined) {
      warned = true;
      console.warn(
        "Forespørgsler kommer gennem en proxy (X-Forwarded-For), men TRUST_PROXY er ikke sat: alle tælles som én klient. Sæt TRUST_PROXY, fx til loopback.",
      );
    }
    next();
  };
}

/**
 * A SAML provider's page posts its answer to the ACS from its own site: that one path is let
 * through the cross-site check. The answer's XML signature and the request id it must answer
 * protect it instead, and it starts no session (see app/routes/sso.$slug.saml.acs.tsx).
 */
const samlAcsPath = /^\/sso\/[a-z0-9-]+\/saml\/acs$/;

type ServerEnv = Pick<Env, "NODE_ENV" | "PUBLIC_URL" | "MAX_UPLOAD_BYTES" | "TRUST_PROXY"> & MediaDeliveryEnv;

/**
 * The platform's HTTP server: security headers and the cross-site check on every request, the
 * films' media fast path, the built browser assets, then Remix. Everything that must hold for every route is here, once,
 * rather than in each loader and action.
 */
export function createServerApp(build: ServerBuild, env: ServerEnv) {
  const app = express();
  app.disable("x-powered-by");
  // Behind nginx or a load balancer, the client's address and https come from its headers.
  if (env.TRUST_PROXY !== undefined) app.set("trust proxy", env.TRUST_PROXY);
  else app.use(warnOfUntrustedProxy());
  const siteOrigins = [new URL(env.PUBLIC_URL).origin];
  // First, so every answer, the server's own refusals included, is logged and counted.
  app.use(observeRequests(build, logger()));

  // Signed edge links on another host (a CDN) must be fetchable by the player.
  const edgeOrigin = new URL(env.MEDIA_EDGE_URL).origin;
  const mediaOrigins = env.MEDIA_DELIVERY === "edge" && !siteOrigins.includes(edgeOrigin) ? [edgeOrigin] : [];
  app.use(
    assignCspNonce,
    securityHeaders({ https: env.PUBLIC_URL.startsWith("https://"), mediaOrigins }),
    permissionsPolicy,
  );
  app.use((req: Request, res: Response, next: NextFunction) =>
    isCrossSiteRequest(req, siteOrigins) && !(req.method === "POST" && samlAcsPath.test(req.path))
      ? refuse(res, "crossSite")
      : next(),
  );
  // Films before compression (segments do not shrink) and before Remix (nothing of a page is needed).
  app.use(mediaDelivery(env, { onServed: recordMediaBytes }));
  app.use(compression());
  // File names carry a content hash, so browsers may keep them for good.
  app.use(
    build.publicPath,
    express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y", index: false }),
  );
  app.all("*", remixRequestHandler(build, env.NODE_ENV, bodyLimits(env)));

  // Remix answers its own errors; what reaches here failed before it (an address Express could
  // not decode) or around it. No stack trace or message ever goes to the browser.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof error === "object" && error !== null && "status" in error ? Number(error.status) : 500;
    // The request's log line carries it, with the request id the person may quote.
    if (status >= 500 || Number.isNaN(status)) res.err = error instanceof Error ? error : new Error(String(error));
    // Failed halfway through a page already on its way: all that is left is to end the connection.
    if (res.headersSent) return res.destroy();
    refuse(res, status >= 400 && status < 500 ? "badRequest" : "failed");
  });
  return app;
}
