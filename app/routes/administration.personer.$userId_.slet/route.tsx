import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { SubmitButton } from "~/components/submit-button";
import { pageTitle, useT } from "~/i18n/i18n";
import { requestedOrganisation } from "~/licensing/overview.server";
import { confirmsPerson, eraseSchema } from "~/privacy/erasure-forms";
import { erasePerson, personInMunicipality } from "~/privacy/erasure.server";
import { useReplyForm } from "~/utils/form-reply";
import { invariantResponse, parseSubmission, readForm, replyToForm, requirePathId } from "~/utils/http.server";
import { ErasureExplained } from "./explained";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "erasure.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const FORM_ID = "erase-person";

/** The person, when they belong to the municipality the admin administers; anyone else is not found (404). */
async function personOnPage(request: Request, userIdParam: string | undefined) {
  const user = await requireAdmin(request);
  const { organisation } = requestedOrganisation(user, request);
  const person = personInMunicipality(requirePathId(userIdParam, "erasure.personNotFound"), organisation.id);
  invariantResponse(person, "erasure.personNotFound", { status: 404 });
  return { user, organisation, person };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation, person } = await personOnPage(request, params.userId);
  return json(
    { organisation, person: { name: person.name, email: person.email } },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, organisation, person } = await personOnPage(request, params.userId);
  const submission = parseSubmission(await readForm(request), eraseSchema);
  if (submission.status !== "success") return replyToForm(FORM_ID, submission);
  if (!confirmsPerson(submission.value.confirmation, person))
    return replyToForm(FORM_ID, submission, { fieldErrors: { confirmation: ["erasure.confirmationMismatch"] } });
  const erased = erasePerson({ personId: person.id, organisationId: organisation.id, byUserId: user.id });
  if (erased.status === "refused") {
    // Gone between the page and the press (another admin, the retention job): as if never there.
    invariantResponse(erased.httpStatus !== 404, erased.message, { status: 404 });
    return replyToForm(FORM_ID, submission, { refusal: erased.message, status: erased.httpStatus });
  }
  // An admin who erased their own account has no session left; the sign-in page says the rest.
  return redirect(person.id === user.id ? "/log-ind" : "/administration?besked=slettet");
}

export default function ErasePerson() {
  const t = useT();
  const { organisation, person } = useLoaderData<typeof loader>();
  const { reply, form, fields } = useReplyForm(FORM_ID, eraseSchema, {
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page page--narrow">
      <h1>{t("erasure.heading", { name: person.name || person.email })}</h1>
      <p className="lead">{t("erasure.intro", { municipality: organisation.name, email: person.email })}</p>
      <div className="erasure">
        <ErasureExplained />
        <FormMessage reply={reply} id={form.errorId} />
        <Form method="post" {...getFormProps(form)} className="form card">
          <h2>{t("erasure.confirmHeading")}</h2>
          <Field
            field={fields.confirmation}
            label={t("erasure.confirmation")}
            hint={t("erasure.confirmationHint", { name: person.name, email: person.email })}
            type="text"
            autoComplete="off"
          />
          <SubmitButton>{t("erasure.submit")}</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
