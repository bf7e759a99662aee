"use client";

import { useCallback, useEffect, useState } from "react";

/**
 * The current time, refreshed every `everyMs` and on demand; null during server rendering and
 * hydration, so anything that depends on "now" renders only in the browser and cannot mismatch the
 * server's HTML.
 */
export function useNow(everyMs = 15_000): [Date | null, () => Date] {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  const refresh = useCallback(() => {
    const fresh = new Date();
    setNow(fresh);
    return fresh;
  }, []);
  return [now, refresh];
}
