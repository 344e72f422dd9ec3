import { useT } from "~/i18n/i18n";
import { professionLabels, professions, type Profession } from "./professions";

/** The "Faggruppe" select of a report's filter form (GET, `faggruppe=`), with "all" first. */
export function ProfessionFilter({ id, value }: { id: string; value?: Profession | null }) {
  const t = useT();
  return (
    <div className="field">
      <label htmlFor={id}>{t("feedback.report.profession")}</label>
      <select id={id} name="faggruppe" defaultValue={value ?? ""}>
        <option value="">{t("feedback.report.allProfessions")}</option>
        {professions.map((profession) => (
          <option key={profession} value={profession}>
            {t(professionLabels[profession])}
          </option>
        ))}
      </select>
    </div>
  );
}
