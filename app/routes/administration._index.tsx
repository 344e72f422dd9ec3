import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { inviteSchema, reassignSeatSchema, revokeSeatSchema } from "~/auth/forms";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { PeopleOverview } from "~/components/people-overview";
import { ProgressBar } from "~/components/progress-bar";
import { formatKroner } from "~/billing/money";
import { InvoiceFiles } from "~/components/invoice-files";
import type { MessageKey } from "~/i18n/da";
import { formatDate, formatDateTime, formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { grantQuizRetake } from "~/learning/retakes.server";
import { inviteToLicence, reassignSeat, revokeSeatAsAdmin, type ClosedLicence } from "~/licensing/invitations.server";
import { administeredOrganisations, licenceOverviewForAdmin, requireAdmin } from "~/licensing/overview.server";
import { grantRetakeSchema, remindSchema } from "~/licensing/forms";
import {
  parseStatusFilter,
  parseUnitFilter,
  peopleOverview,
  remindNotStarted,
  unitsOf,
} from "~/licensing/people.server";
import { useFormReply, type Notice } from "~/utils/form-reply";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { validateForm } from "~/utils/form-schema";
import { ScrollingTable } from "~/components/scrolling-table";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "admin.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const search = new URL(request.url).searchParams;
  const status = parseStatusFilter(search.get("status"));
  const overview = licenceOverviewForAdmin(user);
  const people = overview.organisations.map((organisation) => {
    const unitId = parseUnitFilter(organisation.id, search.get("unit"));
    return {
      ...organisation,
      units: unitsOf(organisation.id),
      unitId,
      people: peopleOverview(organisation.id, { status, unitId }),
    };
  });
  return json({ ...overview, people, status, adminId: user.id }, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = {
  invite: inviteSchema,
  revoke: revokeSeatSchema,
  reassign: reassignSeatSchema,
  grantRetake: grantRetakeSchema,
  remind: remindSchema,
} as const;

const closedLicence: Record<ClosedLicence, MessageKey> = {
  ended: "admin.licenceEnded",
  suspended: "refusal.licenceSuspended",
};

/**
 * Replies go to the form that was sent, named by its row. A seat's own forms vanish once the seat
 * is taken back, so what happened to a seat is said above the licence's list of holders, and a
 * quiz grant above the municipality's list of people, where the person will look for it.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const submission = parseSubmission(form, schemas[intent]);
  if (submission.status !== "success") {
    // Only the invite and reassign forms have a field to type in; the others send ids the page wrote.
    invariantResponse(intent === "invite" || intent === "reassign", "error.unreadableForm");
    return replyToForm(
      intent === "invite" ? `invite-${String(form.get("licenceId"))}` : `reassign-${String(form.get("seatId"))}`,
      submission,
    );
  }
  const value = submission.value;
  const language = await getLanguage(request);
  switch (value.intent) {
    case "invite": {
      const formId = `invite-${value.licenceId}`;
      const invited = await inviteToLicence(user, value.licenceId, value.email, language);
      // Another municipality's licence is answered as if it did not exist.
      invariantResponse(invited.status !== "forbidden", "notFound.licence", { status: 404 });
      if (invited.status === "invited")
        return replyToForm(formId, submission, {
          notice: { key: "admin.invited", values: { email: invited.email } },
          resetForm: true,
        });
      if (invited.status === "mailLimit")
        return replyToForm(formId, submission, {
          refusal: { key: "admin.mailLimit", values: { email: invited.email } },
          status: 429,
        });
      if (invited.status === "full") {
        const refusal =
          invited.seatCount === 1
            ? { key: "admin.licenceFullOne" as const }
            : { key: "admin.licenceFull" as const, values: { seats: invited.seatCount } };
        return replyToForm(formId, submission, { refusal });
      }
      return replyToForm(formId, submission, { refusal: closedLicence[invited.status] });
    }
    case "revoke": {
      const revoked = revokeSeatAsAdmin(user, value.seatId);
      // A seat of another municipality is answered as if it did not exist.
      invariantResponse(revoked.status !== "notFound", "notFound.seat", { status: 404 });
      const formId = `seats-${revoked.licenceId}`;
      if (revoked.status === "alreadyRevoked")
        return replyToForm(formId, submission, { refusal: "admin.seatAlreadyRevoked" });
      return replyToForm(formId, submission, { notice: { key: "admin.revoked", values: { email: revoked.email } } });
    }
    case "reassign": {
      const reassigned = await reassignSeat(user, value.seatId, value.email, language);
      invariantResponse(reassigned.status !== "notFound", "notFound.seat", { status: 404 });
      if (reassigned.status === "mailLimit") {
        // The seat stays with its holder, so the row and its form are still there.
        return replyToForm(`reassign-${value.seatId}`, submission, {
          refusal: { key: "admin.mailLimit", values: { email: reassigned.email } },
          status: 429,
        });
      }
      const formId = `seats-${reassigned.licenceId}`;
      if (reassigned.status === "reassigned") {
        return replyToForm(formId, submission, {
          notice: { key: "admin.reassigned", values: { from: reassigned.from, email: reassigned.email } },
        });
      }
      return replyToForm(formId, submission, {
        refusal: reassigned.status === "alreadyRevoked" ? "admin.seatAlreadyRevoked" : closedLicence[reassigned.status],
      });
    }
    case "grantRetake": {
      const granted = grantQuizRetake(user, value.userId, value.quizId);
      if (granted.status === "notFound") {
        // Another municipality's person, or a course not on its licences, is answered as if it did not exist: above the
        // list the form came from when that list is the admin's own (the person may have left since the page was shown),
        // else as a page that does not exist, so a tampered form puts nothing above a list the admin does not have.
        const own = administeredOrganisations(user).some((organisation) => organisation.id === value.organisationId);
        invariantResponse(own, "notFound.personOrQuiz", { status: 404 });
        return replyToForm(`people-${value.organisationId}`, submission, {
          refusal: "admin.retake.notFound",
          status: 404,
        });
      }
      // The municipality the person and the quiz were found in, not the one the form named: a stale or tampered form cannot move the answer.
      const formId = `people-${granted.organisationId}`;
      if (granted.status === "ownAttempts")
        return replyToForm(formId, submission, { refusal: "refusal.retakeOwn", status: 403 });
      if (granted.status === "notLocked") return replyToForm(formId, submission, { refusal: "admin.retake.notLocked" });
      return replyToForm(formId, submission, {
        notice: { key: "admin.retake.granted", values: { name: granted.personName, film: granted.filmTitle } },
      });
    }
    case "remind": {
      const reminded = await remindNotStarted(user, value.organisationId, language);
      invariantResponse(reminded !== null, "notFound.organisation", { status: 404 });
      const formId = `people-${value.organisationId}`;
      const { mailed, remindedToday } = reminded;
      // Each person gets one reminder a day however often the button is pressed; the answer counts only those mailed now.
      if (mailed === 0 && remindedToday > 0)
        return replyToForm(formId, submission, { refusal: "admin.remindedAllToday", status: 429 });
      const notice: Notice =
        mailed === 0
          ? { key: "admin.remindedNobody" }
          : remindedToday > 0
            ? { key: "admin.remindedSomeToday", values: { count: mailed, skipped: remindedToday } }
            : { key: "admin.reminded", values: { count: mailed } };
      return replyToForm(formId, submission, { notice });
    }
  }
}

const useReply = (formId: string) => useFormReply<typeof action>(formId);

/** The invite form, or only what the last invite was told once the licence takes no one new. */
function InviteForm({ licenceId, open }: { licenceId: number; open: boolean }) {
  const t = useT();
  const formId = `invite-${licenceId}`;
  const reply = useReply(formId);
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: formId,
    lastResult: reply?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => validateForm(formData, inviteSchema),
  });
  if (!open) return <FormMessage reply={reply} />;
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <h3>{t("admin.inviteHeading")}</h3>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="invite" />
      <input type="hidden" name="licenceId" value={licenceId} />
      <Field
        field={fields.email}
        label={t("admin.inviteEmail")}
        hint={t("admin.inviteHint")}
        type="email"
        autoComplete="off"
      />
      <div>
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("admin.inviteSubmit")}
        </button>
      </div>
    </Form>
  );
}

type Holder = { seatId: number; name: string };

function ReassignForm({ holder }: { holder: Holder }) {
  const t = useT();
  const formId = `reassign-${holder.seatId}`;
  const reply = useReply(formId);
  const [form, fields] = useForm({
    id: formId,
    lastResult: reply?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => validateForm(formData, reassignSeatSchema),
  });
  return (
    <details className="reassign" open={reply ? true : undefined}>
      <summary>{t("admin.reassign")}</summary>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage reply={reply} id={form.errorId} />
        <input type="hidden" name="intent" value="reassign" />
        <input type="hidden" name="seatId" value={holder.seatId} />
        <Field
          field={fields.email}
          label={t("admin.reassignTo", { name: holder.name })}
          type="email"
          autoComplete="off"
        />
        <button type="submit" className="button button--secondary">
          {t("admin.reassignSubmit")}
        </button>
      </Form>
    </details>
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
          <h2 id={`licence-${licence.id}`}>
            {t("admin.licenceHeading", { from: day(licence.startsOn), to: day(licence.endsOn) })}
          </h2>
          <ProgressBar
            label={t("admin.seatsLabel")}
            value={licence.seatsUsed}
            max={licence.seatCount}
            text={t("admin.seatsUsed", { used: licence.seatsUsed, total: licence.seatCount })}
          />
          <p>
            {t("admin.paymentState")}:{" "}
            <strong className={`payment payment--${licence.paymentState}`}>
              {t(`billing.state.${licence.paymentState}`)}
            </strong>
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
          <InviteForm licenceId={licence.id} open={!licence.suspended && !licence.ended} />

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
          {/* What the last revoke or reassign on this licence's seats was told. */}
          <FormMessage formId={`seats-${licence.id}`} />
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
                      <button
                        type="submit"
                        className="link-button"
                        aria-label={t("admin.revokeFor", { name: holder.name })}
                      >
                        {t("admin.revoke")}
                      </button>
                    </Form>
                    {/* The person given the seat could not take it while the licence is ended or suspended. */}
                    {licence.suspended || licence.ended ? null : <ReassignForm holder={holder} />}
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
        <PeopleSection
          key={organisation.id}
          organisation={organisation}
          status={status}
          unitId={organisation.unitId}
          adminId={adminId}
        />
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
        <ScrollingTable label={t("billing.heading")}>
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
        </ScrollingTable>
      )}
    </>
  );
}

type PeopleData = ReturnType<typeof useLoaderData<typeof loader>>["people"][number];

function PeopleSection({
  organisation,
  status,
  unitId,
  adminId,
}: {
  organisation: PeopleData;
  status: string | null;
  unitId: number | null;
  adminId: number;
}) {
  const t = useT();
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
      <FormMessage formId={`people-${organisation.id}`} />
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="remind" />
        <input type="hidden" name="organisationId" value={organisation.id} />
        <button type="submit" className="button button--secondary">
          {t("admin.remind")}
        </button>
      </Form>
    </PeopleOverview>
  );
}
