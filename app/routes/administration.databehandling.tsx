import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { requireAdmin } from "~/auth/session.server";
import { OrganisationSwitcher } from "~/components/organisation-switcher";
import { pageTitle, useT } from "~/i18n/i18n";
import { requestedOrganisation } from "~/licensing/overview.server";
import { annexSections } from "~/privacy/annex";
import { processingAnnex } from "~/privacy/annex.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "annex.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const { organisation, organisations } = requestedOrganisation(user, request);
  return json(
    { organisation, organisations, annex: processingAnnex(organisation) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function ProcessingAnnexPage() {
  const t = useT();
  const { organisation, organisations, annex } = useLoaderData<typeof loader>();
  return (
    <div className="page privacy-page">
      <p className="breadcrumb">
        <Link to={`/administration/databeskyttelse?organisation=${organisation.id}`}>
          {t("privacy.settings.title")}
        </Link>
      </p>
      <h1>{t("annex.title")}</h1>
      <p className="lead">{t("annex.intro", { organisation: organisation.name })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={organisation.id}
        label={t("annex.organisations")}
      />
      <p>
        <a href={`/administration/databehandling.pdf?organisation=${organisation.id}`} className="button" download>
          {t("annex.download")}
        </a>
      </p>
      {annexSections(annex, t).map((section) => (
        <section key={section.id} className="card" aria-labelledby={`annex-${section.id}`}>
          <h2 id={`annex-${section.id}`}>{section.heading}</h2>
          {section.intro ? <p>{section.intro}</p> : null}
          {section.items.length > 0 ? (
            <dl className="terms">
              {section.items.map((item) => (
                <Fragment key={item.term}>
                  <dt>{item.term}</dt>
                  <dd>{item.text}</dd>
                </Fragment>
              ))}
            </dl>
          ) : null}
        </section>
      ))}
    </div>
  );
}
