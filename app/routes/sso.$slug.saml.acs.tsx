import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { pageTitle } from "~/i18n/i18n";
import { acceptSamlResponse } from "~/sso/saml-sign-in.server";
import { ssoSignInResponse } from "~/sso/sign-in-flow.server";
import { SsoSignInMessage } from "~/sso/sign-in-message";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "sso.signIn.title") }];

/** A SAML answer is base64 XML; a megabyte is far more than any provider sends. */
const acsForm = z.object({ SAMLResponse: z.string().min(1).max(1_000_000), RelayState: z.string().optional() });

/**
 * The provider's page posts its answer here from another site, so the cross-site check lets this
 * one path through (app/server/app.server.ts): the XML signature and the request id it answers
 * protect it instead. No session starts here, as the browser sent no cookie; the browser is sent
 * on to /sso/faerdig, which it asks for with its own cookies.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = acsForm.safeParse(Object.fromEntries(await readForm(request)));
  const accepted = parsed.success
    ? await acceptSamlResponse(params.slug ?? "", parsed.data.SAMLResponse)
    : ({ ok: false, reason: "sso.signIn.samlInvalid" } as const);
  if (!accepted.ok) return ssoSignInResponse(request, accepted);
  return redirect(`/sso/faerdig?f=${encodeURIComponent(accepted.requestId)}`, {
    status: 303,
    headers: { "Cache-Control": "no-store" },
  });
}

/** Only the provider's page posts here; an address opened by hand says the attempt is over. */
export function loader() {
  return json(
    { message: "sso.signIn.flowInvalid" as const },
    { status: 405, headers: { Allow: "POST", "Cache-Control": "no-store" } },
  );
}

export default function SamlAcs() {
  const answer = useActionData<typeof action>();
  const opened = useLoaderData<typeof loader>();
  return <SsoSignInMessage message={answer?.message ?? opened.message} signedIn={false} />;
}
