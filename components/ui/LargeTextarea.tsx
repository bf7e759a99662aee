"use client";

import { useCallback, useRef, type TextareaHTMLAttributes } from "react";

type Props = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "value" | "defaultValue" | "onChange"> & {
  /** The content when the element mounts; later edits are reported through onValueChange only. */
  initialValue: string;
  /** Change it to replace the content from outside (the element remounts with initialValue). */
  version: number | string;
  onValueChange: (value: string) => void;
};

/**
 * A textarea for text that can run to megabytes (a pasted list of 100 000 phone numbers). React
 * writes a controlled textarea's value, and an uncontrolled one's defaultValue, into the element's
 * text node on every render, and the browser then lays the whole text out again: seconds per key
 * press. Here React never holds the value; it is set once, directly, when the element mounts.
 */
export function LargeTextarea({ initialValue, version, onValueChange, ...props }: Props) {
  const initial = useRef(initialValue);
  initial.current = initialValue;
  const fill = useCallback(
    (element: HTMLTextAreaElement | null) => {
      if (element) element.value = initial.current;
    },
    // A new version is a new element (see key below), which must start from the current initialValue.
    [version],
  );
  return <textarea key={version} ref={fill} onChange={(event) => onValueChange(event.target.value)} {...props} />;
}
