import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { startMeetingSchema } from "~/meetings/forms";
import { startMeeting } from "~/meetings/presenting.server";
import { invariantResponse, parseSubmission, readForm } from "~/utils/http.server";

/** "Vis på personalemødet" on a film's page: opens the meeting and goes to the presenter's view of it. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseSubmission(await readForm(request), startMeetingSchema);
  invariantResponse(submission.status === "success", "error.unreadableForm");
  const started = startMeeting(user.id, submission.value.moduleId);
  // The button is only offered to those who may present; anyone else posting it is refused.
  invariantResponse(started.status === "started", "meetings.start.notAllowed", { status: 403 });
  return redirect(`/moede/${started.sessionId}`);
}
