import { useEffect, useState } from "react";

/** Waits until `value` has stopped changing for `ms` (pass strings or numbers: a fresh object each render never settles). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => { const id = setTimeout(() => setSettled(value), ms); return () => clearTimeout(id); }, [value, ms]);
  return settled;
}
