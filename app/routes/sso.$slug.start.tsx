import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { pageTitle } from "~/i18n/i18n";
import { startOidcSignIn } from "~/sso/oidc-sign-in.server";
import { enabledProtocol, startSamlSignIn } from "~/sso/saml-sign-in.server";
import { flowCookie } from "~/sso/sign-in-flow.server";
import { SsoSignInMessage } from "~/sso/sign-in-message";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "sso.signIn.title") }];

const noStore = { "Cache-Control": "no-store" };

/**
 * A GET that writes a row, by necessity: an intranet link or a redirect starts the sign-in. The
 * row is a fresh, unguessable flow that only the browser holding its cookie can finish, so a
 * stray request leaves nothing anyone can use.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const redirectTo = new URL(request.url).searchParams.get("redirectTo");
  const started =
    enabledProtocol(slug) === "saml"
      ? await startSamlSignIn(slug, redirectTo)
      : await startOidcSignIn(slug, redirectTo);
  if (!started.ok) {
    const status = started.reason === "sso.signIn.disabled" ? 404 : 502;
    return json({ message: started.reason }, { status, headers: noStore });
  }
  return redirect(String(started.authorizationUrl), {
    headers: { ...noStore, "Set-Cookie": flowCookie(started.flowToken) },
  });
}

export default function SsoStart() {
  const { message } = useLoaderData<typeof loader>();
  return <SsoSignInMessage message={message} signedIn={false} />;
}
