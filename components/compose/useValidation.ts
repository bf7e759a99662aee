"use client";

import { useEffect, useState } from "react";

export type Validation = typeof import("./validation");

let loading: Promise<Validation> | null = null;

/** The validation module, fetched once per page load; a failed fetch is retried on the next call. */
export function loadValidation(): Promise<Validation> {
  loading ??= import("./validation").catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** null until the schemas have arrived (a moment after the page became interactive). */
export function useValidation(): Validation | null {
  const [validation, setValidation] = useState<Validation | null>(null);
  useEffect(() => {
    let live = true;
    loadValidation().then(
      (loaded) => {
        if (live) setValidation(loaded);
      },
      // Submitting loads it again and reports a failure there, where the user is waiting for an answer.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return validation;
}
