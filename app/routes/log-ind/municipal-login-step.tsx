import { useEffect, useRef } from "react";
import { Link } from "@remix-run/react";
import { useT } from "~/i18n/i18n";
import type { MunicipalLogin } from "~/sso/sign-in-routing.server";
import { PasswordStep } from "./password-step";

/**
 * The address belongs to a municipality with its own login: a link on to it (a link, not a
 * redirect, because the page's form-action policy would stop a form's redirect to another site),
 * and the password as a fallback where the municipality allows one.
 */
export function MunicipalLoginStep({
  login,
  email,
  redirectTo,
}: {
  login: MunicipalLogin;
  email: string;
  redirectTo: string;
}) {
  const t = useT();
  const onward = useRef<HTMLAnchorElement>(null);
  useEffect(() => onward.current?.focus(), []);
  const href = redirectTo ? `${login.startPath}?redirectTo=${encodeURIComponent(redirectTo)}` : login.startPath;
  return (
    <div className="card">
      <p>{t("signIn.municipalLogin", { organisation: login.organisationName })}</p>
      <p>
        <a className="button" href={href} ref={onward}>
          {t("signIn.toMunicipalLogin")}
        </a>
      </p>
      {login.passwordSignInDisabled ? null : (
        <details>
          <summary>{t("signIn.usePassword")}</summary>
          <PasswordStep redirectTo={redirectTo} email={email} focusPassword={false} />
        </details>
      )}
      <p>
        <Link to="/log-ind" reloadDocument>
          {t("signIn.otherEmail")}
        </Link>
      </p>
    </div>
  );
}
