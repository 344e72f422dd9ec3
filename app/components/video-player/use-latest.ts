import { useEffect, useRef } from "react";

/**
 * A ref that holds the newest value after every render, so an effect can read a prop without
 * depending on it: a parent re-render then never restarts the effect (or reloads the film).
 */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  });
  return ref;
}
