import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getSessionUser } from "~/auth/session.server";
import { progressProblem as problem } from "~/learning/progress-report.server";
import { recordPresence } from "~/meetings/joining.server";
import { idFromPath } from "~/utils/form-schema";

/** A participant's page saying, every quarter minute, that it is still open in the room. */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "Kun POST er tilladt.");
  const user = await getSessionUser(request);
  if (!user) return problem(401, "Du er ikke logget ind.");
  const sessionId = idFromPath(params.sessionId);
  const result = sessionId == null ? null : recordPresence(user.id, sessionId);
  if (result?.status !== "ok") return problem(404, "Du deltager ikke i det møde.");
  return json({ ended: result.ended, agreementAt: result.agreementAt }, { headers: { "Cache-Control": "no-store" } });
}

export async function loader() {
  return problem(405, "Kun POST er tilladt.");
}
