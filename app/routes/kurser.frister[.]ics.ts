import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { dueDatesCalendar } from "~/training/calendar.server";
import { privateFileHeaders } from "~/utils/http.server";

/** The signed-in person's due dates for mandatory courses, to import into their calendar. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return new Response(dueDatesCalendar(user.id), {
    headers: privateFileHeaders("text/calendar; charset=utf-8", "rettidig-frister.ics"),
  });
}
