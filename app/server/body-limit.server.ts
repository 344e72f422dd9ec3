import type { IncomingMessage } from "node:http";
import { Transform } from "node:stream";
import { createReadableStreamFromReadable, type ServerBuild } from "@remix-run/node";
import type { Env } from "~/env.server";
import { IMPORT_MAX_BYTES } from "~/licensing/forms";
import { CHUNK_BYTES, SUBTITLES_MAX_BYTES } from "~/media/upload-forms";
import type { RequestBodyKind } from "~/utils/route-handle";
import { routeMatcher } from "./route-match.server";

const MiB = 1024 * 1024;

/**
 * How many bytes each kind of body may have before the server stops reading and answers 413
 * itself. A form is a few kilobytes (the longest, a feedback builder with 50 questions, stays
 * well under 1 MiB). The upload routes check their own, smaller limits and say so beside the
 * field; these are backstops set well above them, so a file a little too large still gets that
 * message and only a body far beyond any real one gets the server's page.
 */
export function bodyLimits(env: Pick<Env, "MAX_UPLOAD_BYTES">): Record<RequestBodyKind, number> {
  return {
    form: MiB,
    csvFile: 8 * IMPORT_MAX_BYTES,
    filmPiece: CHUNK_BYTES + MiB,
    subtitles: 8 * SUBTITLES_MAX_BYTES,
    film: env.MAX_UPLOAD_BYTES + 16 * MiB,
  };
}

/** Which kind of body the route at an address takes, so the server knows its limit before reading. */
export function bodyKindFinder(build: ServerBuild) {
  const matchesAt = routeMatcher(build);
  return (url: URL): RequestBodyKind => {
    const declared = matchesAt(url.pathname)
      .map((match) => match.route.handle?.requestBody)
      .filter((kind) => kind !== undefined);
    return declared.at(-1) ?? "form";
  };
}

/**
 * The request's body for Remix, counted on its way: `onTooLarge` is called at the first byte past
 * the limit and the stream fails there, so nothing larger is ever buffered. A client that hangs up
 * halfway fails it too, so an action waiting for the body (an upload writing to disk) stops
 * instead of waiting for ever. A body whose Content-Length already says it is too large is
 * refused before this is needed.
 */
export function limitedBody(req: IncomingMessage, limit: number, onTooLarge: () => void) {
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.byteLength;
      if (received > limit) {
        // Let go of the request first: it stays open while the refusal is sent on its connection.
        req.unpipe(counter);
        onTooLarge();
        callback(new Error("Request body too large"));
        return;
      }
      callback(null, chunk);
    },
  });
  // pipe rather than pipeline, which would destroy the request, and with it the refusal's
  // connection, when the counter stops; a client hanging up halfway is passed on by hand.
  req.pipe(counter);
  req.once("close", () => {
    if (!req.complete) counter.destroy(new Error("The client hung up before the body was complete"));
  });
  return createReadableStreamFromReadable(counter);
}
