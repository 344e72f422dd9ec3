import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { receiveUpload, requireUploadTarget } from "~/media/upload.server";
import type { RouteHandle } from "~/utils/route-handle";

export const handle: RouteHandle = { requestBody: "subtitles" };

/**
 * Where the film page sends new subtitles with XMLHttpRequest to show its progress: the same
 * upload as the page's own action, answered as JSON instead of a rendered page. Films go in
 * pieces to ./dele instead.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { owner, target } = await requireUploadTarget(request, params);
  const { status, reply } = await receiveUpload(request, target, owner.id);
  return json(reply, { status, headers: { "Cache-Control": "private, no-store" } });
}
