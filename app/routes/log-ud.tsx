import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { destroySession, getSessionUser, sessionIdHash } from "~/auth/session.server";
import { OneButtonForm } from "~/components/one-button-form";
import { pageTitle, useT } from "~/i18n/i18n";
import { postSignOutPath } from "~/sso/connections.server";
import { providerSignOutUrl } from "~/sso/sign-out.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "signOut.title") }];

/**
 * A page of its own, not a redirect: after the sign-out action Remix loads this route again, and
 * the page must still be there to send the browser on to the provider. Opened directly, it offers
 * the sign-out button.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return json({ signedIn: (await getSessionUser(request)) !== null }, { headers: { "Cache-Control": "no-store" } });
}

/**
 * Ends the session here, and for a session that began at the municipality's OpenID provider, sends
 * the browser on to end the provider's session too. That last step is a link on a page rather
 * than a redirect: the sign-out button is a form, and the pages' form-action policy would stop a
 * form's redirect to another site.
 */
export async function action({ request }: ActionFunctionArgs) {
  const providerUrl = await providerSignOutUrl(await sessionIdHash(request));
  const cleared = await destroySession(request);
  if (!providerUrl) return redirect(postSignOutPath, { headers: { "Set-Cookie": cleared } });
  return json({ providerUrl }, { headers: { "Set-Cookie": cleared, "Cache-Control": "no-store" } });
}

export default function SignOut() {
  const t = useT();
  const { signedIn } = useLoaderData<typeof loader>();
  const providerUrl = useActionData<typeof action>()?.providerUrl;
  useEffect(() => {
    if (providerUrl) window.location.assign(providerUrl);
  }, [providerUrl]);
  if (!providerUrl) {
    return (
      <div className="page page--narrow">
        <h1>{t("signOut.confirmTitle")}</h1>
        {signedIn ? (
          <OneButtonForm action="/log-ud" look="button">
            {t("nav.signOut")}
          </OneButtonForm>
        ) : (
          <p>
            {t("signOut.notSignedIn")} <Link to="/log-ind">{t("nav.signIn")}</Link>
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>{t("signOut.title")}</h1>
      <p className="notice" role="status">
        {t("signOut.atProvider")}
      </p>
      {providerUrl ? (
        <p>
          <a className="button" href={providerUrl}>
            {t("signOut.continueAtProvider")}
          </a>
        </p>
      ) : null}
    </div>
  );
}
