"use client";

import { addYears } from "date-fns";
import type { CSSProperties } from "react";
import { DayPicker } from "react-day-picker";
import "react-day-picker/style.css";

// DayPicker is themed through CSS variables; Tailwind 4 does not expose the config's colours as
// variables, so the brand tokens of tailwind.config.ts are repeated here.
const THEME = {
  "--rdp-accent-color": "#4338ca",
  "--rdp-accent-background-color": "#e0e7ff",
  "--rdp-day-height": "2.5rem",
  "--rdp-day-width": "2.5rem",
  "--rdp-day_button-height": "2.375rem",
  "--rdp-day_button-width": "2.375rem",
} as CSSProperties;

/** "2026-11-26" → a local-midnight Date for that calendar day (the grid itself has no time zone). */
function toCalendarDay(isoDate: string): Date {
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(year, month - 1, day);
}

function toIsoDate(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
}

/**
 * The date grid of the schedule picker, loaded only when someone chooses to schedule. Days are plain
 * calendar days: "today" is today in Warsaw, whatever zone the browser is in, and the time of day is
 * combined with it in Warsaw time by the schedule schema.
 */
export default function ScheduleCalendar({
  value,
  warsawToday,
  onChange,
}: {
  value: string;
  warsawToday: string;
  onChange: (isoDate: string) => void;
}) {
  const today = toCalendarDay(warsawToday);
  const selected = value ? toCalendarDay(value) : undefined;
  // The schedule schema refuses anything more than a year ahead.
  const last = addYears(today, 1);
  return (
    <DayPicker
      mode="single"
      required
      selected={selected}
      onSelect={(day) => onChange(toIsoDate(day))}
      today={today}
      defaultMonth={selected ?? today}
      startMonth={today}
      endMonth={last}
      disabled={[{ before: today }, { after: last }]}
      weekStartsOn={1}
      aria-label="Day to send"
      className="inline-block rounded-md border border-slate-200 bg-white p-2"
      style={THEME}
    />
  );
}
