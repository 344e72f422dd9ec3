import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { presenterCount } from "~/meetings/presenting.server";
import { invariantResponse, requirePathId } from "~/utils/http.server";

/** How many are in the room now, for the presenter's page to refresh its count without reloading the film. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const present = presenterCount(user.id, requirePathId(params.sessionId, "meetings.notFound"));
  invariantResponse(present != null, "meetings.notFound", { status: 404 });
  return json({ present }, { headers: { "Cache-Control": "private, no-store" } });
}
