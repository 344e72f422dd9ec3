import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

/** A form's send button on a line of its own, off while a form is being sent so a second press sends nothing twice. */
export function SubmitButton({ children }: { children: ReactNode }) {
  const navigation = useNavigation();
  return (
    <div>
      <button type="submit" className="button" disabled={navigation.state === "submitting"}>
        {children}
      </button>
    </div>
  );
}
