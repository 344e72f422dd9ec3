import { getFormProps, getInputProps, getSelectProps, type FieldMetadata } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormMessage } from "~/components/form-message";
import type { MessageKey } from "~/i18n/da";
import { formatDate, formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { createJoinLinkSchema, JOIN_LINK_MAX_DAYS, revokeJoinLinkSchema } from "~/licensing/forms";
import { createJoinLink, joinLinksForAdmin, revokeJoinLink } from "~/licensing/join-links.server";
import { requireAdmin } from "~/auth/session.server";
import { licenceOverviewForAdmin } from "~/licensing/overview.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { useReplyForm } from "~/utils/form-reply";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { OneButtonForm } from "~/components/one-button-form";
import { ScrollingTable } from "~/components/scrolling-table";
import { ActionsColumnHeader } from "~/components/actions-column-header";
import { SubmitButton } from "~/components/submit-button";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "joinLinks.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const licences = licenceOverviewForAdmin(user).licences.map(({ id, startsOn, endsOn, seatCount }) => ({
    id,
    startsOn,
    endsOn,
    seatCount,
  }));
  return json(
    { licences, links: joinLinksForAdmin(user), today: danishDate() },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

const schemas = { create: createJoinLinkSchema, revoke: revokeJoinLinkSchema } as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") {
    // The revoke button sends only the id the page wrote.
    invariantResponse(intent === "create", "error.unreadableForm");
    return replyToForm(CREATE_FORM, submission);
  }
  const value = submission.value;
  if (value.intent === "revoke") {
    // Another municipality's link is answered as if it did not exist; one already closed is closed again, unchanged.
    invariantResponse(revokeJoinLink(user, value.linkId) === "revoked", "notFound.link", { status: 404 });
    return replyToForm(`link-${value.linkId}`, submission, { notice: "joinLinks.revoked" });
  }
  const created = createJoinLink(user, value);
  invariantResponse(created.status !== "notFound", "notFound.licence", { status: 404 });
  if (created.status === "invalid")
    return replyToForm(CREATE_FORM, submission, { fieldErrors: { [created.field]: [created.message] } });
  // The link is shown this once, with the confirmation: only its hash is kept.
  return replyToForm(CREATE_FORM, submission, {
    notice: { key: "joinLinks.created", values: { link: created.url } },
    resetForm: true,
  });
}

const CREATE_FORM = "create-join-link";

/** A labelled input or select whose hint and errors are tied to it, for the types Field does not take. */
function LabelledControl({
  field,
  label,
  hint,
  children,
}: {
  field: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p className="field__hint" id={field.descriptionId}>
          {hint}
        </p>
      ) : null}
      {children}
      {field.errors ? (
        <p className="field__error" id={field.errorId}>
          {field.errors.map((error) => t(error as MessageKey)).join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function CreateForm({
  licences,
  today,
}: {
  licences: { id: number; startsOn: string; endsOn: string; seatCount: number }[];
  today: string;
}) {
  const t = useT();
  const language = useLanguage();
  const { reply, form, fields } = useReplyForm(CREATE_FORM, createJoinLinkSchema, {
    defaultValue: { licenceId: String(licences[0]?.id ?? ""), expiresOn: shiftDays(today, 30), maxUses: "25" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const described = (field: FieldMetadata<unknown>) =>
    [field.descriptionId, field.errors ? field.errorId : null].filter(Boolean).join(" ");
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <h2>{t("joinLinks.createHeading")}</h2>
      <FormMessage reply={reply} id={form.errorId} />
      {reply?.notice?.values?.link ? (
        <div className="field">
          <label htmlFor="created-link">{t("joinLinks.link")}</label>
          <input
            id="created-link"
            className="email"
            readOnly
            value={String(reply.notice.values.link)}
            onFocus={(event) => event.currentTarget.select()}
          />
        </div>
      ) : null}
      <input type="hidden" name="intent" value="create" />
      <LabelledControl field={fields.licenceId} label={t("joinLinks.licence")}>
        <select {...getSelectProps(fields.licenceId)}>
          {licences.map((licence) => (
            <option key={licence.id} value={licence.id}>
              {t("joinLinks.licenceOption", {
                from: formatDay(language, licence.startsOn),
                to: formatDay(language, licence.endsOn),
                seats: licence.seatCount,
              })}
            </option>
          ))}
        </select>
      </LabelledControl>
      <LabelledControl
        field={fields.expiresOn}
        label={t("joinLinks.expiresOn")}
        hint={t("joinLinks.expiresOnHint", { days: JOIN_LINK_MAX_DAYS })}
      >
        <input
          {...getInputProps(fields.expiresOn, { type: "date", ariaAttributes: false })}
          min={today}
          max={shiftDays(today, JOIN_LINK_MAX_DAYS)}
          aria-invalid={fields.expiresOn.errors ? true : undefined}
          aria-describedby={described(fields.expiresOn)}
        />
      </LabelledControl>
      <LabelledControl field={fields.maxUses} label={t("joinLinks.maxUses")} hint={t("joinLinks.maxUsesHint")}>
        <input
          {...getInputProps(fields.maxUses, { type: "number", ariaAttributes: false })}
          min={1}
          inputMode="numeric"
          aria-invalid={fields.maxUses.errors ? true : undefined}
          aria-describedby={described(fields.maxUses)}
        />
      </LabelledControl>
      <SubmitButton>{t("joinLinks.submit")}</SubmitButton>
    </Form>
  );
}

export default function JoinLinks() {
  const t = useT();
  const language = useLanguage();
  const { licences, links, today } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to="/administration">{t("admin.back")}</Link>
      </p>
      <h1>{t("joinLinks.title")}</h1>
      <p className="lead">{t("joinLinks.intro")}</p>
      {licences.length === 0 ? (
        <p className="notice">{t("admin.none")}</p>
      ) : (
        <CreateForm licences={licences} today={today} />
      )}

      <section aria-labelledby="join-links-list">
        <h2 id="join-links-list">{t("joinLinks.listHeading")}</h2>
        {links.length === 0 ? (
          <p>{t("joinLinks.none")}</p>
        ) : (
          <ScrollingTable labelledBy="join-links-list">
            <caption className="visually-hidden">{t("joinLinks.listHeading")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("joinLinks.column.created")}</th>
                <th scope="col">{t("joinLinks.column.licence")}</th>
                <th scope="col">{t("joinLinks.column.uses")}</th>
                <th scope="col">{t("joinLinks.column.expires")}</th>
                <th scope="col">{t("joinLinks.column.state")}</th>
                <ActionsColumnHeader />
              </tr>
            </thead>
            <tbody>
              {links.map((link) => (
                <tr key={link.id}>
                  <td>{formatDate(language, new Date(link.createdAt))}</td>
                  <td>
                    {formatDay(language, link.startsOn)} – {formatDay(language, link.endsOn)}
                  </td>
                  <td>{t("joinLinks.usesValue", { uses: link.uses, max: link.maxUses })}</td>
                  {/* The link works until the day ends; the moment stored is the next midnight. */}
                  <td>{formatDate(language, new Date(link.expiresAt).getTime() - 1)}</td>
                  <td>{t(`joinLinks.state.${link.state}`)}</td>
                  <td>
                    <FormMessage formId={`link-${link.id}`} />
                    {link.state === "active" ? (
                      <OneButtonForm
                        fields={{ intent: "revoke", linkId: link.id }}
                        label={t("joinLinks.revokeFor", { date: formatDate(language, new Date(link.createdAt)) })}
                      >
                        {t("joinLinks.revoke")}
                      </OneButtonForm>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollingTable>
        )}
      </section>
    </div>
  );
}
