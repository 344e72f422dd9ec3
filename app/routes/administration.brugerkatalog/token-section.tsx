import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { formatDateTime, useLanguage, useT } from "~/i18n/i18n";
import { useFormReply } from "~/utils/form-reply";
import type { action, DirectoryPage } from "./route";

export const tokenFormId = "scim-token";

/** The directory's token: made, replaced or revoked here, and shown only in the answer that made it. */
export function TokenSection({ page }: { page: DirectoryPage }) {
  const t = useT();
  const language = useLanguage();
  const reply = useFormReply<typeof action>(tokenFormId);
  const newToken = reply && "token" in reply && typeof reply.token === "string" ? reply.token : undefined;
  const organisationId = page.organisation.id;
  return (
    <section className="card">
      <h2>{t("scim.admin.tokenHeading")}</h2>
      <FormMessage reply={reply} />
      {newToken ? (
        <div className="field">
          <label htmlFor="scim-new-token">{t("scim.admin.newToken")}</label>
          <p className="notice notice--error" id="scim-new-token-warning">
            {t("scim.admin.tokenWarning")}
          </p>
          <input
            id="scim-new-token"
            className="copyable"
            readOnly
            value={newToken}
            aria-describedby="scim-new-token-warning"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      ) : null}
      {page.token ? (
        <p>
          {t("scim.admin.tokenActive", { created: formatDateTime(language, new Date(page.token.createdAt)) })}{" "}
          {page.token.lastUsedAt
            ? t("scim.admin.tokenLastUsed", { time: formatDateTime(language, new Date(page.token.lastUsedAt)) })
            : t("scim.admin.tokenNeverUsed")}
        </p>
      ) : (
        <p>{t("scim.admin.tokenNone")}</p>
      )}
      <div className="button-row">
        <OneButtonForm fields={{ intent: "issue", organisationId }} look="button">
          {page.token ? t("scim.admin.rotate") : t("scim.admin.create")}
        </OneButtonForm>
        {page.token ? (
          <OneButtonForm fields={{ intent: "revoke", organisationId }} look="button">
            {t("scim.admin.revoke")}
          </OneButtonForm>
        ) : null}
      </div>
    </section>
  );
}
