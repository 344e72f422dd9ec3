import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { startBillingJobs } from "~/billing/jobs.server";
import { cookiesAreSecure, getEnv } from "~/env.server";
import { startMediaWorker } from "~/media/jobs.server";

// A misconfigured server should refuse to start, not fail on its first request.
const env = getEnv();
if (env.NODE_ENV === "production" && !cookiesAreSecure()) {
  console.warn(`PUBLIC_URL er ${env.PUBLIC_URL}: cookies sendes uden Secure. Sæt PUBLIC_URL til https-adressen i drift.`);
}
// Unit tests call the jobs themselves, at the moments they choose.
if (env.NODE_ENV !== "test") {
  startBillingJobs();
  // Picks up jobs a previous run of the server left behind, so an upload survives a restart.
  startMediaWorker();
}

export const streamTimeout = 5_000;

/** Headers every page carries: no framing, no MIME sniffing, no referrer leaking reset tokens. */
function setSecurityHeaders(headers: Headers) {
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  headers.set("Content-Security-Policy", "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'");
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  // Crawlers get the whole document at once; people get the shell as soon as it is ready.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} />,
      {
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          setSecurityHeaders(responseHeaders);
          resolve(
            new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1_000);
  });
}
