import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { startBillingJobs } from "~/billing/jobs.server";
import { startOutboxSweep } from "~/email/mailer.server";
import { cookiesAreSecure, getEnv } from "~/env.server";
import { startMediaWorker } from "~/media/media-worker.server";
import { logger } from "~/ops/logger.server";
import { startTrainingJobs } from "~/training/jobs.server";
import { NonceProvider } from "~/utils/nonce";

// A misconfigured server should refuse to start, not fail on its first request.
const env = getEnv();
if (env.NODE_ENV === "production" && !cookiesAreSecure()) {
  console.warn(
    `PUBLIC_URL er ${env.PUBLIC_URL}: cookies sendes uden Secure. Sæt PUBLIC_URL til https-adressen i drift.`,
  );
}
// Unit tests call the jobs themselves, at the moments they choose.
if (env.NODE_ENV !== "test") {
  startBillingJobs();
  startOutboxSweep();
  startTrainingJobs();
  // Picks up jobs a previous run of the server left behind, so an upload survives a restart.
  startMediaWorker();
}

export const streamTimeout = 5_000;

/**
 * A loader, action or render that failed: logged with the request's id, which the person sees in
 * X-Request-Id, so a report can be found in the log. A request the client gave up on is no failure.
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  logger().error({ err: error, requestId: context.requestId, method: request.method }, "route failed");
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Security headers, this nonce's Content-Security-Policy among them, are set by the HTTP server (app/server/).
  const nonce = loadContext.cspNonce;
  // Crawlers get the whole document at once; people get the shell as soon as it is ready.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
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
