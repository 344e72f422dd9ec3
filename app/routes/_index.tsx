import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getSessionUser } from "~/auth/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return redirect((await getSessionUser(request)) ? "/kurser" : "/log-ind");
}
