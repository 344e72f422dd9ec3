import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { ScrollingTable } from "~/components/scrolling-table";
import { ActionsColumnHeader } from "~/components/actions-column-header";
import { pageTitle, useT } from "~/i18n/i18n";
import { ledUnits } from "~/licensing/people.server";
import { presenterSchema } from "~/meetings/forms";
import { MeetingTable } from "~/meetings/meeting-table";
import { meetingOverview, setPresenter, unitPresenters } from "~/meetings/overview.server";
import { invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "meetings.leader.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** A leader's own unit: its staff meetings, and which of its staff may start one. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const units = ledUnits(user);
  invariantResponse(units.length > 0, "forbidden.leadersOnly", { status: 403 });
  return json(
    {
      units: units.map((unit) => ({
        ...unit,
        meetings: meetingOverview(unit.organisationId, unit.unitId),
        staff: unitPresenters(unit.organisationId, unit.unitId),
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

const PRESENTERS_FORM = "meeting-presenters";

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const units = ledUnits(user);
  invariantResponse(units.length > 0, "forbidden.leadersOnly", { status: 403 });
  const submission = parseSubmission(await readForm(request), presenterSchema);
  // The buttons send only what the page wrote.
  invariantResponse(submission.status === "success", "error.unreadableForm");
  const { intent, userId } = submission.value;
  for (const unit of units) {
    const changed = setPresenter({ userId: user.id, ...unit }, userId, intent === "allow");
    if (changed.status === "changed")
      return replyToForm(PRESENTERS_FORM, submission, {
        notice: {
          key: intent === "allow" ? "meetings.leader.allowed" : "meetings.leader.withdrawn",
          values: { name: changed.name },
        },
      });
  }
  // Someone outside the leader's units is answered as if they did not exist.
  return replyToForm(PRESENTERS_FORM, submission, { refusal: "meetings.leader.notInUnit", status: 404 });
}

export default function LeaderMeetings() {
  const t = useT();
  const { units } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/leder">{t("training.leader.back")}</Link>
      </p>
      <h1>{t("meetings.leader.title")}</h1>
      <p className="lead">{t("meetings.leader.intro")}</p>
      <FormMessage formId={PRESENTERS_FORM} />
      {units.map((unit) => (
        <section key={unit.unitId} aria-labelledby={`unit-${unit.unitId}`}>
          <h2 id={`unit-${unit.unitId}`}>{unit.unitName}</h2>
          <h3>{t("meetings.leader.meetingsHeading")}</h3>
          <MeetingTable
            meetings={unit.meetings}
            label={t("meetings.leader.meetingsOf", { unit: unit.unitName })}
            showUnit={false}
          />
          <h3>{t("meetings.leader.presentersHeading")}</h3>
          <p>{t("meetings.leader.presentersIntro")}</p>
          {unit.staff.length === 0 ? (
            <p className="notice">{t("meetings.leader.noStaff")}</p>
          ) : (
            <ScrollingTable label={t("meetings.leader.presentersOf", { unit: unit.unitName })}>
              <thead>
                <tr>
                  <th scope="col">{t("meetings.leader.name")}</th>
                  <th scope="col">{t("meetings.leader.mayPresent")}</th>
                  <ActionsColumnHeader />
                </tr>
              </thead>
              <tbody>
                {unit.staff.map((person) => (
                  <tr key={person.userId}>
                    <td>
                      {person.name}
                      <br />
                      <span className="hint">{person.email}</span>
                    </td>
                    <td>{t(person.allowed ? "meetings.leader.yes" : "meetings.leader.no")}</td>
                    <td>
                      <OneButtonForm
                        fields={{ intent: person.allowed ? "withdraw" : "allow", userId: person.userId }}
                        label={t(person.allowed ? "meetings.leader.withdrawLabel" : "meetings.leader.allowLabel", {
                          name: person.name,
                        })}
                      >
                        {t(person.allowed ? "meetings.leader.withdraw" : "meetings.leader.allow")}
                      </OneButtonForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </ScrollingTable>
          )}
        </section>
      ))}
    </div>
  );
}
