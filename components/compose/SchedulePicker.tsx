"use client";

import { lazy, Suspense } from "react";
import { FieldError } from "@/components/ui/FieldError";
import { describeSchedule, outsideSendingHours, scheduleToInstant, SENDING_HOURS, warsawZoneAbbreviation } from "@/lib/schedule/format";
import { fromWarsawWallClock, toWarsawWallClock } from "@/lib/time/warsaw";
import type { ScheduleDraft } from "./draft";

// Only people who schedule need the calendar (DayPicker and date-fns), so it stays out of the first load.
const ScheduleCalendar = lazy(() => import("./ScheduleCalendar"));

const pad = (n: number) => String(n).padStart(2, "0");

function warsawIsoDate(instant: Date): string {
  const w = toWarsawWallClock(instant);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

const dayFormat = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

function describeDay(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  return dayFormat.format(new Date(Date.UTC(year, month - 1, day)));
}

/** What the chosen date and time mean, with the Warsaw zone in force then (CET or CEST). */
function zoneText(schedule: ScheduleDraft): string {
  if (schedule.date && schedule.time) {
    const resolved = scheduleToInstant(schedule.date, schedule.time);
    if (resolved.ok) return describeSchedule(resolved.instant);
  }
  if (schedule.date) {
    const [year, month, day] = schedule.date.split("-").map(Number) as [number, number, number];
    const noon = fromWarsawWallClock({ year, month, day, hour: 12, minute: 0 });
    if (noon) return `Warsaw time (${warsawZoneAbbreviation(noon)} on ${describeDay(schedule.date)})`;
  }
  return "Warsaw time (Europe/Warsaw)";
}

/** Gentle, never blocking: some campaigns are meant for the evening. */
function hoursWarning(schedule: ScheduleDraft, now: Date | null): string | null {
  const range = `${SENDING_HOURS.from}–${SENDING_HOURS.to}`;
  if (schedule.mode === "now") {
    if (!now || !outsideSendingHours(now)) return null;
    const w = toWarsawWallClock(now);
    return `It is ${pad(w.hour)}:${pad(w.minute)} in Warsaw, outside the usual sending hours (${range}). People may not welcome an MMS now; consider scheduling it.`;
  }
  if (!schedule.date || !schedule.time) return null;
  const resolved = scheduleToInstant(schedule.date, schedule.time);
  if (!resolved.ok || !outsideSendingHours(resolved.instant)) return null;
  return `${schedule.time} is outside the usual sending hours (${range} Warsaw time). People may not welcome an MMS then; you can still schedule it.`;
}

export function SchedulePicker({
  schedule,
  errors,
  now,
  onChange,
}: {
  schedule: ScheduleDraft;
  errors: string[];
  /** null until the page runs in the browser. */
  now: Date | null;
  onChange: (schedule: ScheduleDraft) => void;
}) {
  const warning = hoursWarning(schedule, now);
  const invalid = errors.length > 0;
  return (
    <fieldset aria-describedby="compose-schedule-error">
      <legend className="text-sm font-semibold">When</legend>
      <div className="mt-1 flex flex-wrap gap-4">
        {(
          [
            ["now", "Send now"],
            ["scheduled", "Schedule for later"],
          ] as const
        ).map(([mode, label]) => (
          <label key={mode} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="compose-schedule-mode"
              value={mode}
              checked={schedule.mode === mode}
              onChange={() => onChange({ ...schedule, mode })}
            />
            {label}
          </label>
        ))}
      </div>

      {schedule.mode === "scheduled" ? (
        <div className="mt-3 flex flex-wrap items-start gap-6">
          <div role="group" aria-labelledby="compose-schedule-date-label">
            <p id="compose-schedule-date-label" className="text-sm font-medium">
              Day <span className="font-normal text-slate-600">(arrow keys move between days, Enter picks one)</span>
            </p>
            {now ? (
              <Suspense fallback={<p className="mt-2 text-sm text-slate-600">Loading the calendar…</p>}>
                <ScheduleCalendar value={schedule.date} warsawToday={warsawIsoDate(now)} onChange={(date) => onChange({ ...schedule, date })} />
              </Suspense>
            ) : null}
            <p className="mt-1 text-sm" aria-live="polite" data-testid="schedule-chosen-day">
              {schedule.date ? `Chosen day: ${describeDay(schedule.date)}` : "No day chosen yet."}
            </p>
          </div>
          <div>
            <label htmlFor="compose-schedule-time" className="block text-sm font-medium">
              Time
            </label>
            <input
              id="compose-schedule-time"
              type="time"
              step={60}
              value={schedule.time}
              onChange={(event) => onChange({ ...schedule, time: event.target.value })}
              aria-invalid={invalid}
              aria-describedby="compose-schedule-zone compose-schedule-error"
              className={`mt-1 rounded-md border px-3 py-2 ${invalid ? "border-danger" : "border-slate-300"}`}
            />
            <p id="compose-schedule-zone" data-testid="schedule-zone" className="mt-1 max-w-xs text-sm text-slate-700">
              {zoneText(schedule)}
            </p>
          </div>
        </div>
      ) : null}

      {warning ? (
        <p role="status" className="mt-2 rounded-md bg-warn-light p-2 text-sm text-warn">
          {warning}
        </p>
      ) : null}
      <FieldError id="compose-schedule-error" messages={errors} />
    </fieldset>
  );
}
