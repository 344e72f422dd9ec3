import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import type { MessageKey } from "~/i18n/da";
import { pageTitle, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { grantQuizRetake } from "~/learning/retakes.server";
import { inviteToLicence, reassignSeat, revokeSeatAsAdmin, type ClosedLicence } from "~/licensing/invitations.server";
import { requireAdmin } from "~/auth/session.server";
import { recordAccess } from "~/privacy/access-log.server";
import { administeredOrganisations, licenceOverviewForAdmin } from "~/licensing/overview.server";
import { grantRetakeSchema, inviteSchema, reassignSeatSchema, remindSchema, revokeSeatSchema } from "~/licensing/forms";
import {
  parseStatusFilter,
  parseUnitFilter,
  peopleOverview,
  remindNotStarted,
  unitsOf,
} from "~/licensing/people.server";
import type { Notice } from "~/utils/form-reply";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";
import { LicenceSection } from "./licence-section";
import { PeopleSection } from "./people-section";

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
  // The one write a loader may make: each municipality's access log notes that its people were shown.
  for (const organisation of overview.organisations)
    recordAccess({ viewerId: user.id, organisationId: organisation.id, action: "viewPeople" });
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

export type LicenceData = ReturnType<typeof useLoaderData<typeof loader>>["licences"][number];
export type PeopleData = ReturnType<typeof useLoaderData<typeof loader>>["people"][number];

export default function Administration() {
  const t = useT();
  const { organisations, licences, people, status, adminId } = useLoaderData<typeof loader>();
  // The erase page comes back here once the person is gone, and says so.
  const [searchParams] = useSearchParams();
  return (
    <div className="page">
      <h1>{t("admin.title")}</h1>
      {searchParams.get("besked") === "slettet" ? (
        <p className="notice" role="status">
          {t("erasure.done")}
        </p>
      ) : null}
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
        <Link to="/administration/kommunelogin" className="button button--secondary">
          {t("admin.ssoLink")}
        </Link>
        <Link to="/administration/pladsanmodninger" className="button button--secondary">
          {t("seatRequests.title")}
        </Link>
        <Link to="/administration/brugerkatalog" className="button button--secondary">
          {t("scim.admin.link")}
        </Link>
        <Link to="/administration/feedback" className="button button--secondary">
          {t("admin.feedbackLink")}
        </Link>
        <Link to="/administration/maaling" className="button button--secondary">
          {t("measurementReport.adminLink")}
        </Link>
        <Link to="/administration/obligatorisk" className="button button--secondary">
          {t("training.admin.link")}
        </Link>
        <Link to="/administration/databeskyttelse" className="button button--secondary">
          {t("privacy.settings.link")}
        </Link>
        <Link to="/administration/personalemoeder" className="button button--secondary">
          {t("meetings.admin.link")}
        </Link>
        <Link to="/administration/adgangslog" className="button button--secondary">
          {t("accessLog.adminLink")}
        </Link>
      </nav>
      {licences.length === 0 ? <p className="notice">{t("admin.none")}</p> : null}
      {licences.map((licence) => (
        <LicenceSection key={licence.id} licence={licence} />
      ))}
      {people.map((organisation) => (
        <PeopleSection key={organisation.id} organisation={organisation} status={status} adminId={adminId} />
      ))}
    </div>
  );
}
