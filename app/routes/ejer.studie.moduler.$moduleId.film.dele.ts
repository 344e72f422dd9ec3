import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { receiveChunkedUpload } from "~/media/chunked-upload.server";
import { requireUploadTarget } from "~/media/upload.server";
import type { RouteHandle } from "~/utils/route-handle";

// Pieces are 8 MiB (film-upload.tsx); the server reads a little more than that and no further.
export const handle: RouteHandle = { requestBody: "filmPiece" };

/**
 * Where the film page sends a film in pieces, each its own request, so that a large film on a
 * slow line never meets the server's time limit for one request; a piece lost can be sent again.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { owner, target } = await requireUploadTarget(request, params);
  const { status, body } = await receiveChunkedUpload(request, target, owner.id);
  return json(body, { status, headers: { "Cache-Control": "private, no-store" } });
}
