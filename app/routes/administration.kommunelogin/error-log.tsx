import { formatDateTime, isMessageKey, useLanguage, useT } from "~/i18n/i18n";
import type { ConnectionPage } from "./route";

/** What went wrong at the latest tests and sign-ins, newest first, with the provider's own words. */
export function ErrorLog({ errors }: { errors: ConnectionPage["errors"] }) {
  const t = useT();
  const language = useLanguage();
  return (
    <section className="card">
      <h2>{t("sso.admin.errorsHeading")}</h2>
      {errors.length === 0 ? (
        <p>{t("sso.admin.errorsNone")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("sso.admin.errorTime")}</th>
              <th scope="col">{t("sso.admin.errorMessage")}</th>
              <th scope="col">{t("sso.admin.errorDetail")}</th>
            </tr>
          </thead>
          <tbody>
            {errors.map((error) => (
              <tr key={error.id}>
                <td>{formatDateTime(language, new Date(error.at))}</td>
                {/* A code stored by a later version than this one is shown as it is. */}
                <td>{isMessageKey(error.code) ? t(error.code) : error.code}</td>
                <td>
                  <code>{error.detail}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
