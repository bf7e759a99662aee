import { fromWarsawWallClock, toWarsawWallClock, type WallClock } from "@/lib/time/warsaw";

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * THE formatter for send_mms `date`: `YYYY-MM-DD HH:MM` in Warsaw time, exactly like the brief's
 * example "2010-11-09 15:23". Seconds are dropped (the gateway schedules to the minute).
 * Change the format here and only here.
 */
export function formatScheduleForGateway(instant: Date): string {
  const w = toWarsawWallClock(instant);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

export type ScheduleInstantResult =
  | { ok: true; instant: Date }
  | { ok: false; reason: "malformed" | "no-such-date" | "skipped-by-clock-change"; message: string };

const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_INPUT = /^(\d{2}):(\d{2})$/;

export const SCHEDULE_FORMAT_MESSAGE = "Enter a date as YYYY-MM-DD and a time as HH:MM.";

/** The instant a Warsaw date (`YYYY-MM-DD`) and time (`HH:MM`) stand for; refuses times that never happen. */
export function scheduleToInstant(date: string, time: string): ScheduleInstantResult {
  const d = DATE_INPUT.exec(date.trim());
  const t = TIME_INPUT.exec(time.trim());
  if (!d || !t) return { ok: false, reason: "malformed", message: SCHEDULE_FORMAT_MESSAGE };
  const wall = { year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour: Number(t[1]), minute: Number(t[2]) };

  if (wall.hour > 23 || wall.minute > 59) {
    return { ok: false, reason: "malformed", message: `${time.trim()} is not a time of day. ${SCHEDULE_FORMAT_MESSAGE}` };
  }
  if (!isCalendarDate(wall.year, wall.month, wall.day)) {
    return { ok: false, reason: "no-such-date", message: `${date.trim()} is not a date in the calendar. ${SCHEDULE_FORMAT_MESSAGE}` };
  }
  const instant = fromWarsawWallClock(wall);
  if (!instant) {
    // A real date and a well-formed time that still has no instant can only be the hour skipped in spring.
    return {
      ok: false,
      reason: "skipped-by-clock-change",
      message: `${pad(wall.hour)}:${pad(wall.minute)} does not exist on ${date.trim()} in Warsaw: clocks jump from 02:00 to 03:00. Pick 03:00 or later.`,
    };
  }
  return { ok: true, instant };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** Warsaw's offset from UTC at an instant, in whole hours: 1 in winter (CET), 2 in summer (CEST). */
function warsawOffsetHours(instant: Date, wall: WallClock): number {
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((wallAsUtc - Math.floor(instant.getTime() / 1000) * 1000) / 3_600_000);
}

/** The Warsaw zone abbreviation in force at an instant. Computed, because Intl's short names read "GMT+1" in most locales. */
export function warsawZoneAbbreviation(instant: Date): "CET" | "CEST" {
  return warsawOffsetHours(instant, toWarsawWallClock(instant)) === 2 ? "CEST" : "CET";
}

/** For people: "Thu 26 Nov 2026, 10:00 (Warsaw, CET)". */
export function describeSchedule(instant: Date): string {
  const w = toWarsawWallClock(instant);
  const weekday = WEEKDAYS[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()];
  const month = MONTHS[w.month - 1];
  const zone = warsawOffsetHours(instant, w) === 2 ? "CEST" : "CET";
  return `${weekday} ${w.day} ${month} ${w.year}, ${pad(w.hour)}:${pad(w.minute)} (Warsaw, ${zone})`;
}

export const SENDING_HOURS = { from: "08:00", to: "21:00" } as const;
const SENDING_FROM_MINUTES = 8 * 60;
const SENDING_TO_MINUTES = 21 * 60;

/**
 * True before 08:00 or after 21:00 Warsaw time (21:00 itself is still fine). Messages arriving at night
 * annoy people, so the UI warns; it never blocks, because some campaigns are meant for then.
 */
export function outsideSendingHours(instant: Date): boolean {
  const w = toWarsawWallClock(instant);
  const minutes = w.hour * 60 + w.minute;
  return minutes < SENDING_FROM_MINUTES || minutes > SENDING_TO_MINUTES;
}
