import { Link } from "@remix-run/react";
import type { MessageKey } from "~/i18n/da";
import { useT } from "~/i18n/i18n";

/** What a person sees when a sign-in through the municipality's login stops, or signs in without a seat. */
export function SsoSignInMessage({ message, signedIn }: { message: MessageKey; signedIn: boolean }) {
  const t = useT();
  return (
    <div className="page page--narrow">
      <h1>{t("sso.signIn.title")}</h1>
      <p className={signedIn ? "notice" : "notice notice--error"} role={signedIn ? "status" : "alert"}>
        {t(message)}
      </p>
      <p>
        {signedIn ? (
          <Link to="/kurser">{t("sso.signIn.continue")}</Link>
        ) : (
          <Link to="/log-ind">{t("sso.signIn.back")}</Link>
        )}
      </p>
    </div>
  );
}
