import type { SessionUser } from "~/auth/session.server";
import { overdueFormId } from "~/components/overdue-list";
import { remindOverdueSchema } from "~/training/compliance-forms";
import { remindOverdue } from "~/training/overdue-reminders.server";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";

const schemas = { remind: remindOverdueSchema } as const;

/**
 * The overview's one form, shared by the admin's and the leader's page: remind one overdue person.
 * The answer goes above the list of the municipality the round was found in.
 */
export async function remindAction(user: Pick<SessionUser, "id">, request: Request) {
  const form = await readForm(request);
  const submission = parseSubmission(form, schemas[formIntent(form, schemas)]);
  // The button sends only the round the page wrote; anything else was not sent by the page.
  invariantResponse(submission.status === "success", "error.unreadableForm");
  const reminded = await remindOverdue(user, submission.value.cycleId);
  // Someone else's round, or one that is no longer current, is answered as if it did not exist.
  invariantResponse(reminded.status !== "notFound", "compliance.roundNotFound", { status: 404 });
  const formId = overdueFormId(reminded.organisationId);
  const values = { name: reminded.name };
  switch (reminded.status) {
    case "reminded":
      return replyToForm(formId, submission, { notice: { key: "compliance.remind.sent", values } });
    case "remindedToday":
      return replyToForm(formId, submission, { refusal: { key: "compliance.remind.today", values }, status: 429 });
    case "notOverdue":
      return replyToForm(formId, submission, { refusal: { key: "compliance.remind.notOverdue", values } });
    case "mailFailed":
      return replyToForm(formId, submission, { refusal: { key: "compliance.remind.failed", values }, status: 502 });
  }
}
