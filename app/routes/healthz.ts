import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { platformHealth } from "~/ops/health.server";
import { operatorAccess } from "~/ops/operator-access.server";

/** For load balancers and monitoring: public, with sizes and ages only for the operator (see operatorAccess). */
export async function loader({ request }: LoaderFunctionArgs) {
  const detailed = (await operatorAccess(request)) === "granted";
  const health = await platformHealth(new Date(), { detailed });
  return json(health, {
    status: health.status === "unavailable" ? 503 : 200,
    headers: { "Cache-Control": "no-store" },
  });
}
