import type { SessionUser } from "~/auth/session.server";
import { formIntent, invariantResponse, parseSubmission, replyToForm } from "~/utils/http.server";
import { createAssignment, removeAssignment } from "./assignments.server";
import { createAssignmentSchema, removeAssignmentSchema } from "./forms";

const schemas = { create: createAssignmentSchema, remove: removeAssignmentSchema } as const;

const LEADER_REFUSAL = { refusal: "training.error.leaderOwnUnit", status: 403 } as const;

/**
 * The one action behind the admin's and the leader's page: make a course mandatory, or remove an
 * assignment. Who may do what is decided in assignments.server; this turns its answer into the
 * reply the form shows in place (the form ids match AssignmentForm's and AssignmentList's).
 */
export function handleAssignmentForm(actor: Pick<SessionUser, "id">, form: FormData, now = new Date()) {
  const intent = formIntent(form, schemas);
  const submission = parseSubmission(form, schemas[intent]);
  const organisationId = String(form.get("organisationId"));
  if (submission.status !== "success") {
    // Removing sends only ids the page wrote; only the assignment form has fields to fill in.
    invariantResponse(intent === "create", "error.unreadableForm");
    return replyToForm(`assignment-${organisationId}`, submission);
  }
  const value = submission.value;
  if (value.intent === "remove") {
    const formId = `assignments-${value.organisationId}`;
    const removed = removeAssignment(actor, value.organisationId, value.assignmentId, now);
    if (removed === "outsideUnit") return replyToForm(formId, submission, LEADER_REFUSAL);
    // Another municipality's assignment is answered as if it did not exist, like one already removed.
    if (removed === "notFound")
      return replyToForm(formId, submission, { refusal: "training.error.assignmentGone", status: 404 });
    return replyToForm(formId, submission, { notice: "training.removed" });
  }
  const formId = `assignment-${value.organisationId}`;
  const created = createAssignment(actor, value, now);
  invariantResponse(created.status !== "notFound", "notFound.organisation", { status: 404 });
  if (created.status === "outsideUnit") return replyToForm(formId, submission, LEADER_REFUSAL);
  if (created.status === "invalid" && created.values)
    return replyToForm(formId, submission, { refusal: { key: created.message, values: created.values }, status: 400 });
  if (created.status === "invalid")
    return replyToForm(formId, submission, { fieldErrors: { [created.field]: [created.message] } });
  return replyToForm(formId, submission, { notice: "training.created", resetForm: true });
}
