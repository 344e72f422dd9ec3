import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireOwner } from "~/auth/session.server";
import { uploadTarget } from "~/media/jobs.server";
import { receiveUpload } from "~/media/upload.server";
import { idFromPath } from "~/utils/form-schema";
import { invariantResponse } from "~/utils/http.server";

/**
 * Where the film page sends new subtitles with XMLHttpRequest to show its progress: the same
 * upload as the page's own action, answered as JSON instead of a rendered page. Films go in
 * pieces to ./dele instead.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const owner = await requireOwner(request);
  const moduleId = idFromPath(params.moduleId);
  const target = moduleId === null ? null : uploadTarget(moduleId);
  invariantResponse(target, "Modulet findes ikke.", { status: 404 });
  const { status, reply } = await receiveUpload(request, target, owner.id);
  return json(reply, { status, headers: { "Cache-Control": "private, no-store" } });
}
