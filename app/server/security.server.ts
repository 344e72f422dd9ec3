import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIPv6 } from "node:net";
import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";

/** The nonce of this response's Content-Security-Policy, kept on the response for Remix to use. */
export function cspNonceOf(res: ServerResponse): string {
  return (res as Response).locals.cspNonce as string;
}

export function assignCspNonce(_req: Request, res: Response, next: NextFunction) {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
}

/**
 * Security headers on every response, pages and data requests alike (helmet). Scripts run only
 * from the site itself or with this response's nonce (Remix's inline scripts); styles only from
 * the site, though the bars' widths are style attributes; films come through MediaSource as blob:
 * URLs and hls.js may start a worker from one; with signed edge links on a CDN, the player fetches
 * segments (and Safari plays them) from that origin too. HSTS only when the site is reached over https.
 * A route's own Referrer-Policy (the reset page's no-referrer) replaces the default, because
 * Remix's headers are set over these (see remix-handler.server.ts).
 */
export function securityHeaders({ https, mediaOrigins = [] }: { https: boolean; mediaOrigins?: string[] }) {
  const nonce = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${cspNonceOf(res)}'`;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", nonce],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:", ...mediaOrigins],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'", ...mediaOrigins],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        ...(https ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
  });
}

/** Camera, microphone and location are never used, so no page (nor anything injected) may ask. */
export function permissionsPolicy(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  next();
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request a browser sent on another site's behalf (CSRF, login CSRF,
 * a forged progress report). A browser always says where a POST comes from: Sec-Fetch-Site, and
 * Origin. Both must say this site when present. Requests with neither come from programs, not
 * from a person's browser (Stripe's webhooks), and cannot ride on anyone's cookies.
 */
export function isCrossSiteRequest(req: Request, siteOrigins: readonly string[]): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  const fetchSite = req.get("sec-fetch-site");
  if (fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  const origin = req.get("origin");
  if (origin === undefined) return false;
  return !siteOrigins.includes(origin) && origin !== requestOrigin(req);
}

/**
 * The origin the request was sent to as the browser saw it, when no proxy rewrote the Host header;
 * behind one that does, the configured PUBLIC_URL is the site's origin.
 */
function requestOrigin(req: Request) {
  return `${req.protocol}://${req.get("host")}`;
}

/** The eight 16-bit groups of an IPv6 address, "::" filled in. */
function ipv6Groups(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  return [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
}

/**
 * Who is asking, as the rate limits count it: the client's address (behind a trusted proxy, the
 * one the proxy reports). An IPv6 client is counted by its /64 network, which one household or
 * office holds whole, so hopping between its addresses buys no more attempts.
 */
export function clientAddressOf(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? "";
  const mappedIPv4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mappedIPv4) return mappedIPv4[1]!;
  if (!isIPv6(address)) return address;
  const network = ipv6Groups(address.split("%")[0]!)
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ""));
  return `${network.join(":")}::/64`;
}
