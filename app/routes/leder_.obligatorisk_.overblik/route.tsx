import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { ComplianceOverview } from "~/components/compliance-overview";
import { pageTitle, useT } from "~/i18n/i18n";
import { ledUnits, peopleScope } from "~/licensing/people.server";
import { recordAccess } from "~/privacy/access-log.server";
import { complianceOverview } from "~/training/compliance.server";
import { invariantResponse } from "~/utils/http.server";
import { remindAction } from "../administration.obligatorisk.overblik/remind-action.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "compliance.leader.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

async function requireLeader(request: Request) {
  const user = await requireUser(request);
  const units = ledUnits(user);
  invariantResponse(units.length > 0, "forbidden.leadersOnly", { status: 403 });
  return { user, units };
}

/**
 * A leader's overview of their own unit's mandatory courses: the leader's own unit, whatever the
 * address asks, by way of the leader's membership (peopleScope). `leder_` and `obligatorisk_` in
 * the file name keep the page out of the layouts of /leder and /leder/obligatorisk, which have no Outlet.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, units } = await requireLeader(request);
  const requestedCourse = new URL(request.url).searchParams.get("kursus");
  const overviews = units.map((unit) => {
    const scope = peopleScope(user, unit.organisationId, String(unit.unitId));
    invariantResponse(scope, "forbidden.leadersOnly", { status: 403 });
    // An admin who also leads a unit sees that unit here; the whole municipality is on the admin's page.
    return { unitName: unit.unitName, ...complianceOverview({ ...scope, unitId: unit.unitId }, requestedCourse) };
  });
  // The one write a loader may make: the access log notes that named people's training was shown.
  for (const organisationId of new Set(units.map((unit) => unit.organisationId)))
    recordAccess({ viewerId: user.id, organisationId, action: "viewPeople" });
  return json({ overviews }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireLeader(request);
  return remindAction(user, request);
}

export default function LeaderCompliance() {
  const t = useT();
  const { overviews } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("compliance.leader.title")}</h1>
      <p className="lead">{t("compliance.leader.intro")}</p>
      {overviews.map(({ unitName, scope, summary, overdue, courseId }) => (
        <ComplianceOverview
          key={scope.unitId}
          organisationId={scope.organisationId}
          heading={t("compliance.leader.heading", { unit: unitName })}
          summary={summary}
          overdue={overdue}
          courseId={courseId}
          perUnit={false}
        />
      ))}
    </div>
  );
}
