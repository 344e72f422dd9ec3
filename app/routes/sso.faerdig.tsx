import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { pageTitle } from "~/i18n/i18n";
import { finishSamlSignIn } from "~/sso/saml-sign-in.server";
import { readFlowCookie, ssoSignInResponse } from "~/sso/sign-in-flow.server";
import { SsoSignInMessage } from "~/sso/sign-in-message";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "sso.signIn.title") }];

/**
 * A GET that signs in, by necessity: the end of a SAML sign-in, reached by the redirect from the
 * ACS. It acts only when this browser's flow cookie names the flow the provider's answer was
 * stored on, and spends that flow.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const requestId = new URL(request.url).searchParams.get("f");
  return ssoSignInResponse(request, finishSamlSignIn(requestId, readFlowCookie(request)));
}

export default function SsoFinished() {
  const { message, signedIn } = useLoaderData<typeof loader>();
  return <SsoSignInMessage message={message} signedIn={signedIn} />;
}
