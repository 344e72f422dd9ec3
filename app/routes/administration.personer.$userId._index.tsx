import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle, translator, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { recordAccess } from "~/privacy/access-log.server";
import { requireAdministeredPerson } from "~/privacy/person-access.server";
import { personalDataSections } from "~/privacy/personal-data-sections.server";
import { personalDataOf } from "~/privacy/personal-data.server";
import { PersonalDataView } from "~/privacy/personal-data-view";
import { invariantResponse } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "personalData.person.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** What the municipality holds about one of its people, as the person would see it on "Mine data". */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { admin, person } = await requireAdministeredPerson(request, params.userId);
  const data = personalDataOf(person.userId, { organisationId: person.organisationId });
  invariantResponse(data, "personalData.notFound", { status: 404 });
  // The one write a loader may make: the access log notes that personal data was shown.
  recordAccess({ viewerId: admin.id, organisationId: person.organisationId, action: "viewPerson" });
  const language = await getLanguage(request);
  return json(
    {
      person: { id: person.userId, name: person.name, organisationName: person.organisationName },
      sections: personalDataSections(data, translator(language), language),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function PersonData() {
  const t = useT();
  const { person, sections } = useLoaderData<typeof loader>();
  const base = `/administration/personer/${person.id}`;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/administration">{t("personalData.person.back")}</Link>
      </p>
      <h1>{t("personalData.person.heading", { name: person.name })}</h1>
      <p className="lead">{t("personalData.person.intro", { organisation: person.organisationName })}</p>
      <p className="button-row">
        <a href={`${base}/data.json`} className="button" download>
          {t("personalData.downloadJson")}
        </a>
        <a href={`${base}/data.pdf`} className="button button--secondary" download>
          {t("personalData.downloadPdf")}
        </a>
        <Link to={`${base}/slet`} className="button button--secondary">
          {t("personalData.person.erase", { name: person.name })}
        </Link>
      </p>
      <PersonalDataView sections={sections} />
    </div>
  );
}
