import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { PeopleOverview } from "~/components/people-overview";
import { pageTitle, useT } from "~/i18n/i18n";
import { ledUnits, parseStatusFilter, peopleOverview } from "~/licensing/people.server";
import { recordAccess } from "~/privacy/access-log.server";
import { invariantResponse } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "leader.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** A leader's view of their own unit: the admin's people overview, narrowed to that unit alone. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const units = ledUnits(user);
  invariantResponse(units.length > 0, "forbidden.leadersOnly", { status: 403 });
  const status = parseStatusFilter(new URL(request.url).searchParams.get("status"));
  // The one write a loader may make: the municipality's access log notes that its people were shown.
  for (const organisationId of new Set(units.map((unit) => unit.organisationId)))
    recordAccess({ viewerId: user.id, organisationId, action: "viewPeople" });
  return json(
    {
      status,
      units: units.map((unit) => ({
        ...unit,
        people: peopleOverview(unit.organisationId, { status, unitId: unit.unitId }),
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function LeaderOverview() {
  const t = useT();
  const { units, status } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("leader.title")}</h1>
      <p className="lead">{t("leader.intro")}</p>
      <p>
        <Link to="/leder/obligatorisk">{t("training.leader.link")}</Link>
      </p>
      <p>
        <Link to="/leder/personalemoeder">{t("meetings.leader.link")}</Link>
      </p>
      {units.map((unit) => (
        <PeopleOverview
          key={unit.unitId}
          organisationId={unit.organisationId}
          heading={t("leader.heading", { unit: unit.unitName })}
          people={unit.people}
          units={[]}
          status={status}
          unitId={unit.unitId}
        />
      ))}
    </div>
  );
}
