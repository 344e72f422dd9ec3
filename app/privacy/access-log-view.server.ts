import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { accessLog, accessLogActions, type AccessLogAction, users } from "#db/schema";
import { db } from "~/db.server";
import { endOfDanishDay, isIsoDate, shiftDays } from "~/i18n/dates";
import { formatDateTime, type Language, type Translate } from "~/i18n/i18n";
import { toCsv } from "~/utils/csv.server";
import { accessActionLabels } from "./access-actions";

/** Which rows to show: one action, and a period of Danish calendar days, both ends included. */
export type AccessLogFilter = { action: AccessLogAction | null; from: string | null; to: string | null };

/**
 * The filter from the page's GET form; an empty field means "all". Null when a value is not one
 * the form offers (an unknown action, a day that does not exist, a period that ends before it starts).
 */
export function parseAccessLogFilter(search: URLSearchParams): AccessLogFilter | null {
  const action = search.get("action") || null;
  const from = search.get("from") || null;
  const to = search.get("to") || null;
  if (action !== null && !accessLogActions.some((known) => known === action)) return null;
  if ((from !== null && !isIsoDate(from)) || (to !== null && !isIsoDate(to))) return null;
  if (from !== null && to !== null && from > to) return null;
  return { action: action as AccessLogAction | null, from, to };
}

function conditions(organisationId: number, filter: AccessLogFilter): SQL | undefined {
  return and(
    eq(accessLog.organisationId, organisationId),
    filter.action ? eq(accessLog.action, filter.action) : undefined,
    filter.from ? gte(accessLog.at, endOfDanishDay(shiftDays(filter.from, -1))) : undefined,
    filter.to ? lt(accessLog.at, endOfDanishDay(filter.to)) : undefined,
  );
}

/**
 * The municipality's log, newest first: who looked (null once the viewer is deleted or erased),
 * when, what and in which format. Never whose data, because the log does not hold it.
 */
export function accessLogOf(organisationId: number, filter: AccessLogFilter, limit?: number) {
  const query = db
    .select({
      id: accessLog.id,
      at: accessLog.at,
      viewerName: users.name,
      viewerErasedAt: users.erasedAt,
      action: accessLog.action,
      format: accessLog.format,
    })
    .from(accessLog)
    .leftJoin(users, eq(users.id, accessLog.viewerId))
    .where(conditions(organisationId, filter))
    .orderBy(desc(accessLog.at), desc(accessLog.id));
  const rows = limit === undefined ? query.all() : query.limit(limit).all();
  return rows.map(({ viewerName, viewerErasedAt, ...row }) => ({
    ...row,
    viewerName: viewerErasedAt ? null : viewerName,
  }));
}

export function accessLogCsv(organisationId: number, filter: AccessLogFilter, t: Translate, language: Language) {
  return toCsv(
    [
      t("accessLog.column.when"),
      t("accessLog.column.viewer"),
      t("accessLog.column.action"),
      t("accessLog.column.format"),
    ],
    accessLogOf(organisationId, filter).map((row) => [
      formatDateTime(language, row.at),
      row.viewerName ?? t("accessLog.deletedViewer"),
      t(accessActionLabels[row.action]),
      row.format ?? "",
    ]),
  );
}
