import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { certificateExpired, certificateHours, findCertificateByCode } from "~/learning/certificates.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: pageTitle(
      matches,
      data?.certificate
        ? "certificate.checkTitle"
        : data?.withdrawn
          ? "erasure.withdrawnTitle"
          : "certificate.unknownTitle",
    ),
  },
  { name: "robots", content: "noindex" },
  // The code in the address is all it takes to see the name, so it is not passed on to other sites.
  { name: "referrer", content: "no-referrer" },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const noStore = { "Cache-Control": "no-store" };

/**
 * Open to anyone with the code: confirms the certificate is genuine and shows what it states,
 * nothing more, and whether its validity has run out (judged against today's Danish date).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const certificate = findCertificateByCode(params.code ?? "");
  if (!certificate) return json({ certificate: null, withdrawn: false }, { status: 404, headers: noStore });
  // Its holder was erased: the code was real but no longer vouches for anyone, so 410 Gone, and nothing it stated.
  if (certificate.withdrawnAt) return json({ certificate: null, withdrawn: true }, { status: 410, headers: noStore });
  const { code, recipientName, courseTitle, organisationName, completedOn, minutes, validUntil } = certificate;
  const hours = certificateHours(minutes, await getLanguage(request));
  const expired = certificateExpired(certificate);
  return json(
    {
      certificate: { code, recipientName, courseTitle, organisationName, completedOn, hours, validUntil, expired },
      withdrawn: false,
    },
    { headers: noStore },
  );
}

export default function CertificateCheck() {
  const t = useT();
  const language = useLanguage();
  const { certificate, withdrawn } = useLoaderData<typeof loader>();
  if (withdrawn) {
    return (
      <div className="page page--narrow">
        <h1>{t("erasure.withdrawnTitle")}</h1>
        <p className="notice notice--error" role="alert">
          {t("erasure.withdrawn")}
        </p>
      </div>
    );
  }
  if (!certificate) {
    return (
      <div className="page page--narrow">
        <h1>{t("certificate.unknownTitle")}</h1>
        <p className="notice notice--error" role="alert">
          {t("certificate.unknown")}
        </p>
      </div>
    );
  }
  const facts: Array<[string, string]> = [
    [t("certificate.name"), certificate.recipientName],
    [t("certificate.course"), certificate.courseTitle],
    [t("certificate.date"), formatDay(language, certificate.completedOn)],
    [t("certificate.hours"), certificate.hours],
    [t("certificate.municipality"), certificate.organisationName],
  ];
  return (
    <div className="page page--narrow">
      <h1>{t("certificate.checkTitle")}</h1>
      <p className="notice certificate-genuine" role="status">
        {t("certificate.genuine")}
      </p>
      {certificate.validUntil ? (
        <p className={certificate.expired ? "notice notice--error" : "notice"}>
          {t(certificate.expired ? "certificate.expired" : "certificate.validThrough", {
            date: formatDay(language, certificate.validUntil),
          })}
        </p>
      ) : null}
      <dl className="card certificate-facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        <div>
          <dt>{t("certificate.code")}</dt>
          <dd className="certificate-facts__code" translate="no">
            {certificate.code}
          </dd>
        </div>
      </dl>
    </div>
  );
}
