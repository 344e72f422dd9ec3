import { useT } from "~/i18n/i18n";

/** The head of the column that holds each row's buttons: named for screen readers, blank on screen. */
export function ActionsColumnHeader() {
  const t = useT();
  return (
    <th scope="col">
      <span className="visually-hidden">{t("admin.column.actions")}</span>
    </th>
  );
}
