import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { pageTitle, translator, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { recordAccess } from "~/privacy/access-log.server";
import { ownMunicipalityOf } from "~/privacy/person-access.server";
import { personalDataSections } from "~/privacy/personal-data-sections.server";
import { personalDataOf } from "~/privacy/personal-data.server";
import { PersonalDataView } from "~/privacy/personal-data-view";
import { invariantResponse } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "personalData.mine.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** Everything held about the signed-in person, and where to download it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = personalDataOf(user.id);
  invariantResponse(data, "error.notFound", { status: 404 });
  // The one write a loader may make: the access log notes that personal data was shown.
  recordAccess({ viewerId: user.id, organisationId: ownMunicipalityOf(user.id), action: "viewOwnData" });
  const language = await getLanguage(request);
  return json(
    { sections: personalDataSections(data, translator(language), language) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function MyData() {
  const t = useT();
  const { sections } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("personalData.mine.title")}</h1>
      <p className="lead">{t("personalData.mine.intro")}</p>
      <p className="button-row">
        <a href="/mine-data.json" className="button" download>
          {t("personalData.downloadJson")}
        </a>
        <a href="/mine-data.pdf" className="button button--secondary" download>
          {t("personalData.downloadPdf")}
        </a>
      </p>
      <PersonalDataView sections={sections} />
    </div>
  );
}
