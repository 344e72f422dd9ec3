import type { LoaderFunctionArgs } from "@remix-run/node";
import { samlMetadataFor } from "~/sso/saml-connections.server";
import { invariantResponse } from "~/utils/http.server";

/**
 * The platform's SAML metadata for one municipality, for its provider to read: it changes only
 * when the certificate does, so the address can be handed over once.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const xml = samlMetadataFor(params.slug ?? "");
  invariantResponse(xml, "sso.saml.noMetadata", { status: 404 });
  return new Response(xml, {
    headers: { "Content-Type": "application/samlmetadata+xml; charset=utf-8", "Cache-Control": "no-cache" },
  });
}
