type ProgressBarProps = { label: string; value: number; max: number; text: string };

/** A progress bar that screen readers announce with the same words sighted users read. */
export function ProgressBar({ label, value, max, text }: ProgressBarProps) {
  const percent = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <div>
      <div
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={text}
      >
        <span className="progress__bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="course-card__meta" aria-hidden="true">
        {text}
      </p>
    </div>
  );
}
