import { parseWithZod } from "@conform-to/zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { normaliseEmail } from "~/auth/auth.server";
import { inviteSchema, reassignSeatSchema, revokeSeatSchema } from "~/auth/forms";
import { Field } from "~/components/field";
import { PeopleOverview } from "~/components/people-overview";
import { ProgressBar } from "~/components/progress-bar";
import { formatKroner } from "~/billing/money";
import { InvoiceFiles } from "~/components/invoice-files";
import { formatDate, formatDateTime, formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { grantQuizRetake } from "~/learning/retakes.server";
import { inviteToLicence, reassignSeat, revokeSeatAsAdmin } from "~/licensing/invitations.server";
import { licenceOverviewForAdmin, requireAdmin } from "~/licensing/overview.server";
import { grantRetakeSchema } from "~/licensing/forms";
import { parseStatusFilter, parseUnitFilter, peopleOverview, remindNotStarted, unitsOf } from "~/licensing/people.server";
import { invariantResponse, parseSubmission, readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "admin.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const search = new URL(request.url).searchParams;
  const status = parseStatusFilter(search.get("status"));
  const overview = licenceOverviewForAdmin(user);
  const people = overview.organisations.map((organisation) => {
    const unitId = parseUnitFilter(organisation.id, search.get("unit"));
    return { ...organisation, units: unitsOf(organisation.id), unitId, people: peopleOverview(organisation.id, { status, unitId }) };
  });
  return json({ ...overview, people, status, adminId: user.id }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const form = await readForm(request);
  if (form.get("intent") === "remind") {
    return json({ result: null, invited: null, revoked: false, reminded: await remindNotStarted(user, await getLanguage(request)), retaken: null });
  }
  if (form.get("intent") === "reassign") {
    const submission = parseSubmission(form, reassignSeatSchema);
    if (submission.status !== "success") {
      return json({ result: submission.reply(), invited: null, revoked: false, reminded: null, retaken: null }, { status: 400 });
    }
    const { seatId, email } = submission.value;
    invariantResponse(reassignSeat(user, seatId, email, await getLanguage(request)) === "reassigned", "Pladsen findes ikke.", { status: 404 });
    return json({ result: submission.reply({ resetForm: true }), invited: normaliseEmail(email), revoked: true, reminded: null, retaken: null });
  }
  if (form.get("intent") === "revoke") {
    const submission = parseSubmission(form, revokeSeatSchema);
    invariantResponse(submission.status === "success", "Pladsen kunne ikke findes.");
    // A seat of another municipality is answered as if it did not exist.
    invariantResponse(revokeSeatAsAdmin(user, submission.value.seatId) === "revoked", "Pladsen findes ikke.", { status: 404 });
    return json({ result: null, invited: null, revoked: true, reminded: null, retaken: null });
  }
  if (form.get("intent") === "grantRetake") {
    const submission = parseSubmission(form, grantRetakeSchema);
    invariantResponse(submission.status === "success", "Forsøgene kunne ikke gives. Genindlæs siden, og prøv igen.");
    const granted = grantQuizRetake(user, submission.value.userId, submission.value.quizId);
    invariantResponse(granted.status !== "ownAttempts", "Du kan ikke give dig selv nye forsøg. Bed en anden administrator om det.", { status: 403 });
    // Another municipality's person, or a course not on the municipality's licences, is answered as if it did not exist.
    invariantResponse(granted.status !== "notFound", "Personen eller quizzen findes ikke.", { status: 404 });
    invariantResponse(granted.status !== "notLocked", "Personen har ikke brugt alle sine forsøg.", { status: 409 });
    const retaken = { organisationId: granted.organisationId, name: granted.personName, film: granted.filmTitle };
    return json({ result: null, invited: null, revoked: false, reminded: null, retaken });
  }
  const submission = parseSubmission(form, inviteSchema);
  if (submission.status !== "success") {
    return json({ result: submission.reply(), invited: null, revoked: false, reminded: null, retaken: null }, { status: 400 });
  }
  const invited = inviteToLicence(user, submission.value.licenceId, submission.value.email, await getLanguage(request));
  invariantResponse(invited.status !== "forbidden", "Licensen findes ikke.", { status: 404 });
  invariantResponse(invited.status !== "suspended", "Der kan ikke inviteres nye, før den forfaldne faktura er betalt.", { status: 409 });
  return json({ result: submission.reply({ resetForm: true }), invited: normaliseEmail(submission.value.email), revoked: false, reminded: null, retaken: null });
}

function InviteForm({ licenceId }: { licenceId: number }) {
  const t = useT();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `invite-${licenceId}`,
    lastResult: data?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <h3>{t("admin.inviteHeading")}</h3>
      {data?.invited ? (
        <p className="notice" role="status">
          {t("admin.invited", { email: data.invited })}
        </p>
      ) : null}
      <input type="hidden" name="intent" value="invite" />
      <input type="hidden" name="licenceId" value={licenceId} />
      <Field field={fields.email} label={t("admin.inviteEmail")} hint={t("admin.inviteHint")} type="email" autoComplete="off" />
      <div>
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("admin.inviteSubmit")}
        </button>
      </div>
    </Form>
  );
}

export default function Administration() {
  const t = useT();
  const language = useLanguage();
  const { organisations, licences, people, status, adminId } = useLoaderData<typeof loader>();
  const day = (iso: string) => formatDay(language, iso);
  return (
    <div className="page">
      <h1>{t("admin.title")}</h1>
      <p className="lead">
        {organisations.map((o) => o.name).join(", ")} · {t("admin.intro")}
      </p>
      <nav aria-label={t("admin.toolsLabel")} className="button-row">
        <Link to="/administration/bestil" className="button">
          {t("order.new")}
        </Link>
        <Link to="/administration/import" className="button button--secondary">
          {t("admin.importLink")}
        </Link>
        <Link to="/administration/tilmeldingslinks" className="button button--secondary">
          {t("admin.joinLinksLink")}
        </Link>
        <Link to="/administration/kommune" className="button button--secondary">
          {t("admin.organisationLink")}
        </Link>
        <Link to="/administration/feedback" className="button button--secondary">
          {t("admin.feedbackLink")}
        </Link>
      </nav>
      {licences.length === 0 ? <p className="notice">{t("admin.none")}</p> : null}
      {licences.map((licence) => (
        <section key={licence.id} className="card admin-licence" aria-labelledby={`licence-${licence.id}`}>
          <h2 id={`licence-${licence.id}`}>{t("admin.licenceHeading", { from: day(licence.startsOn), to: day(licence.endsOn) })}</h2>
          <ProgressBar
            label={t("admin.seatsLabel")}
            value={licence.seatsUsed}
            max={licence.seatCount}
            text={t("admin.seatsUsed", { used: licence.seatsUsed, total: licence.seatCount })}
          />
          <p>
            {t("admin.paymentState")}: <strong className={`payment payment--${licence.paymentState}`}>{t(`billing.state.${licence.paymentState}`)}</strong>
          </p>
          {licence.suspended ? (
            <p className="notice notice--error" role="alert">
              {t("billing.suspended")}
            </p>
          ) : null}
          <p className="button-row">
            <Link to={`/administration/bestil?forny=${licence.id}`} className="button button--secondary">
              {t("order.renew")}
            </Link>
            {licence.ended ? null : (
              <Link to={`/administration/bestil?ekstra=${licence.id}`} className="button button--secondary">
                {t("order.buyExtra")}
              </Link>
            )}
          </p>
          <InvoiceTable invoices={licence.invoices} />
          {licence.suspended || licence.ended ? null : <InviteForm licenceId={licence.id} />}

          <h3>{t("admin.pendingHeading")}</h3>
          {licence.pending.length === 0 ? (
            <p>{t("admin.pendingNone")}</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("admin.column.person")}</th>
                  <th scope="col">{t("admin.column.expires")}</th>
                </tr>
              </thead>
              <tbody>
                {licence.pending.map((invitation) => (
                  <tr key={invitation.id}>
                    <td className="email">{invitation.email}</td>
                    <td>{formatDate(language, new Date(invitation.expiresAt))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h3>{t("admin.holdersHeading")}</h3>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("admin.column.person")}</th>
                <th scope="col">{t("admin.column.since")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("admin.column.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {licence.holders.map((holder) => (
                <tr key={holder.seatId}>
                  <td>
                    {holder.name}
                    <br />
                    <span className="course-card__meta email">{holder.email}</span>
                  </td>
                  <td>{formatDate(language, new Date(holder.claimedAt))}</td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="seatId" value={holder.seatId} />
                      <button type="submit" className="link-button" aria-label={t("admin.revokeFor", { name: holder.name })}>
                        {t("admin.revoke")}
                      </button>
                    </Form>
                    <details className="reassign">
                      <summary>{t("admin.reassign")}</summary>
                      <Form method="post" className="form">
                        <input type="hidden" name="intent" value="reassign" />
                        <input type="hidden" name="seatId" value={holder.seatId} />
                        <div className="field">
                          <label htmlFor={`reassign-${holder.seatId}`}>{t("admin.reassignTo", { name: holder.name })}</label>
                          <input id={`reassign-${holder.seatId}`} name="email" type="email" required autoComplete="off" />
                        </div>
                        <button type="submit" className="button button--secondary">
                          {t("admin.reassignSubmit")}
                        </button>
                      </Form>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <h3>{t("admin.auditHeading")}</h3>
          {licence.events.length === 0 ? <p>{t("admin.auditNone")}</p> : null}
          <table className="table" hidden={licence.events.length === 0}>
            <thead>
              <tr>
                <th scope="col">{t("admin.column.when")}</th>
                <th scope="col">{t("admin.column.event")}</th>
                <th scope="col">{t("admin.column.person")}</th>
              </tr>
            </thead>
            <tbody>
              {licence.events.map((event) => (
                <tr key={event.id}>
                  <td>{formatDateTime(language, new Date(event.at))}</td>
                  <td>{t(`admin.event.${event.kind}`)}</td>
                  <td className="email">{event.email}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {people.map((organisation) => (
        <PeopleSection key={organisation.id} organisation={organisation} status={status} unitId={organisation.unitId} adminId={adminId} />
      ))}
    </div>
  );
}

type LicenceData = ReturnType<typeof useLoaderData<typeof loader>>["licences"][number];

function InvoiceTable({ invoices }: { invoices: LicenceData["invoices"] }) {
  const t = useT();
  const language = useLanguage();
  return (
    <>
      <h3>{t("billing.heading")}</h3>
      {invoices.length === 0 ? (
        <p>{t("billing.none")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("billing.heading")}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("billing.column.number")}</th>
                <th scope="col">{t("billing.column.order")}</th>
                <th scope="col">{t("billing.column.issued")}</th>
                <th scope="col">{t("billing.column.due")}</th>
                <th scope="col">{t("billing.column.total")}</th>
                <th scope="col">{t("billing.column.status")}</th>
                <th scope="col">{t("billing.column.files")}</th>
              </tr>
            </thead>
            <tbody>
              {invoices.map((invoice) => (
                <tr key={invoice.id}>
                  <td>{invoice.number ?? "–"}</td>
                  <td>{invoice.orderReference}</td>
                  <td>{formatDay(language, invoice.issueDate)}</td>
                  <td>{formatDay(language, invoice.dueDate)}</td>
                  <td className="amount">{formatKroner(invoice.grossOre)}</td>
                  <td>{t(`billing.status.${invoice.status}`)}</td>
                  <td>
                    {invoice.number ? (
                      <InvoiceFiles invoice={{ id: invoice.id, number: invoice.number }} />
                    ) : (
                      t("billing.notIssued")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

type PeopleData = ReturnType<typeof useLoaderData<typeof loader>>["people"][number];

function PeopleSection({ organisation, status, unitId, adminId }: { organisation: PeopleData; status: string | null; unitId: number | null; adminId: number }) {
  const t = useT();
  const data = useActionData<typeof action>();
  const retaken = data?.retaken?.organisationId === organisation.id ? data.retaken : null;
  return (
    <PeopleOverview
      organisationId={organisation.id}
      heading={t("admin.peopleHeading", { organisation: organisation.name })}
      people={organisation.people}
      units={organisation.units}
      status={status}
      unitId={unitId}
      grantRetakesAs={adminId}
    >
      {retaken ? (
        <p className="notice" role="status">
          {t("admin.retake.granted", { name: retaken.name, film: retaken.film })}
        </p>
      ) : null}
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="remind" />
        <button type="submit" className="button button--secondary">
          {t("admin.remind")}
        </button>
      </Form>
      {data?.reminded != null ? (
        <p className="notice" role="status">
          {t("admin.reminded", { count: data.reminded })}
        </p>
      ) : null}
    </PeopleOverview>
  );
}
