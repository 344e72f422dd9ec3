import { ScrollingTable } from "~/components/scrolling-table";
import { formatDateTime, useLanguage, useT } from "~/i18n/i18n";

export type MeetingRow = {
  id: number;
  startedAt: number;
  ended: boolean;
  film: string;
  unit: string | null;
  presenter: string | null;
  joined: number;
  credited: number;
  watched: number;
};

/** Staff meetings with their attendance, for the admin's and the leader's overviews. */
export function MeetingTable({
  meetings,
  label,
  showUnit,
}: {
  meetings: MeetingRow[];
  label: string;
  showUnit: boolean;
}) {
  const t = useT();
  const language = useLanguage();
  if (meetings.length === 0) return <p className="notice">{t("meetings.overview.none")}</p>;
  return (
    <ScrollingTable label={label}>
      <thead>
        <tr>
          <th scope="col">{t("meetings.overview.film")}</th>
          <th scope="col">{t("meetings.overview.date")}</th>
          {showUnit ? <th scope="col">{t("meetings.overview.unit")}</th> : null}
          <th scope="col">{t("meetings.overview.presenter")}</th>
          <th scope="col">{t("meetings.overview.joined")}</th>
          <th scope="col">{t("meetings.overview.credited")}</th>
        </tr>
      </thead>
      <tbody>
        {meetings.map((meeting) => (
          <tr key={meeting.id}>
            <td>{meeting.film}</td>
            <td>
              {formatDateTime(language, meeting.startedAt)}
              {meeting.ended ? null : ` (${t("meetings.overview.open")})`}
            </td>
            {showUnit ? <td>{meeting.unit ?? t("meetings.overview.noUnit")}</td> : null}
            <td>{meeting.presenter ?? t("meetings.overview.formerPresenter")}</td>
            <td>{meeting.joined}</td>
            <td>{t("meetings.overview.creditedCount", { credited: meeting.credited, watched: meeting.watched })}</td>
          </tr>
        ))}
      </tbody>
    </ScrollingTable>
  );
}
