import type { AccessLogAction } from "#db/schema";
import type { MessageKey } from "~/i18n/da";

/** Rows the access log page shows, newest first; the CSV holds every row the filter matches. */
export const ACCESS_LOG_PAGE_ROWS = 200;

/** What each kind of access is called on the access log page, in its CSV and under "Mine data". */
export const accessActionLabels: Record<AccessLogAction, MessageKey> = {
  viewPeople: "accessLog.action.viewPeople",
  exportPeople: "accessLog.action.exportPeople",
  viewPerson: "accessLog.action.viewPerson",
  exportPersonData: "accessLog.action.exportPersonData",
  erasePerson: "accessLog.action.erasePerson",
  viewOwnData: "accessLog.action.viewOwnData",
  exportOwnData: "accessLog.action.exportOwnData",
  exportCompliance: "accessLog.action.exportCompliance",
  exportFeedback: "accessLog.action.exportFeedback",
  viewAccessLog: "accessLog.action.viewAccessLog",
  exportAccessLog: "accessLog.action.exportAccessLog",
};
