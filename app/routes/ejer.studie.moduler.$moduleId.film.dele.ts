import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireOwner } from "~/auth/session.server";
import { receiveChunkedUpload } from "~/media/chunked-upload.server";
import { uploadTarget } from "~/media/jobs.server";
import { idFromPath } from "~/utils/form-schema";
import { invariantResponse } from "~/utils/http.server";

/**
 * Where the film page sends a film in pieces, each its own request, so that a large film on a
 * slow line never meets the server's time limit for one request; a piece lost can be sent again.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const owner = await requireOwner(request);
  const moduleId = idFromPath(params.moduleId);
  const target = moduleId === null ? null : uploadTarget(moduleId);
  invariantResponse(target, "Modulet findes ikke.", { status: 404 });
  const { status, body } = await receiveChunkedUpload(request, target, owner.id);
  return json(body, { status, headers: { "Cache-Control": "private, no-store" } });
}
