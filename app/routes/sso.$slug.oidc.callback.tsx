import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getEnv } from "~/env.server";
import { pageTitle } from "~/i18n/i18n";
import { finishOidcSignIn } from "~/sso/oidc-sign-in.server";
import { readFlowCookie, ssoSignInResponse } from "~/sso/sign-in-flow.server";
import { SsoSignInMessage } from "~/sso/sign-in-message";

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "sso.signIn.title") },
  // The address holds the one-time code; it is not passed on to other sites.
  { name: "referrer", content: "no-referrer" },
];

/**
 * A GET that signs in, by necessity: the provider sends the browser back with a redirect. It acts
 * only on an unspent flow named by this browser's cookie, so a replayed or forged callback
 * changes nothing.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  // Behind a proxy request.url can carry an internal host; the provider knows the public address.
  const incoming = new URL(request.url);
  const currentUrl = new URL(`${incoming.pathname}${incoming.search}`, getEnv().PUBLIC_URL);
  const finished = await finishOidcSignIn(params.slug ?? "", currentUrl, readFlowCookie(request));
  return ssoSignInResponse(request, finished);
}

export default function SsoCallback() {
  const { message, signedIn } = useLoaderData<typeof loader>();
  return <SsoSignInMessage message={message} signedIn={signedIn} />;
}
