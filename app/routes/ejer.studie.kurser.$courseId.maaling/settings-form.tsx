import { CheckboxField, NumberField, TextAreaField } from "~/components/field";
import { StudioForm } from "~/components/studio-controls";
import { useT } from "~/i18n/i18n";
import { FOLLOW_UP_WEEKS_DEFAULT, FOLLOW_UP_WEEKS_MAX, measurementSettingsSchema } from "~/measurement/forms";
import { useReplyForm } from "~/utils/form-reply";
import type { MeasurementBuilderData } from "./route";

export const SETTINGS_FORM = "measurement-settings";

/** What the learners are told, when the follow-up comes, and whether anyone is asked at all. */
export function SettingsForm({ measurement }: { measurement: MeasurementBuilderData["measurement"] }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm(SETTINGS_FORM, measurementSettingsSchema, {
    constraint: true,
    defaultValue: {
      intro: measurement?.intro ?? "",
      followUpWeeks: String(measurement?.followUpWeeks ?? FOLLOW_UP_WEEKS_DEFAULT),
      active: measurement?.active ? "on" : undefined,
    },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <StudioForm form={form} intent="settings" reply={reply} submitLabel={t("measurement.builder.saveSettings")}>
      <TextAreaField
        field={fields.intro}
        label={t("measurement.builder.intro")}
        hint={t("measurement.builder.introHint")}
        rows={3}
      />
      <NumberField
        field={fields.followUpWeeks}
        label={t("measurement.builder.weeks")}
        hint={t("measurement.builder.weeksHint", { max: FOLLOW_UP_WEEKS_MAX })}
        max={FOLLOW_UP_WEEKS_MAX}
      />
      <CheckboxField field={fields.active} label={t("measurement.builder.active")} />
      <p className="field__hint">{t("measurement.builder.activeHint")}</p>
    </StudioForm>
  );
}
