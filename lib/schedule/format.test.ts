import { describe, expect, it } from "vitest";
import { describeSchedule, formatScheduleForGateway, outsideSendingHours, scheduleToInstant, warsawZoneAbbreviation } from "./format";

const at = (iso: string) => new Date(iso);

describe("formatScheduleForGateway", () => {
  it("writes Warsaw wall-clock time as YYYY-MM-DD HH:MM, like the brief's example", () => {
    expect(formatScheduleForGateway(at("2010-11-09T14:23:00Z"))).toBe("2010-11-09 15:23");
    expect(formatScheduleForGateway(at("2026-07-15T09:05:59.999Z"))).toBe("2026-07-15 11:05");
    expect(formatScheduleForGateway(at("2026-12-31T23:30:00Z"))).toBe("2027-01-01 00:30");
  });

  it("is right on both sides of the March 2026 change (29 Mar, 02:00 CET → 03:00 CEST)", () => {
    expect(formatScheduleForGateway(at("2026-03-29T00:59:00Z"))).toBe("2026-03-29 01:59");
    expect(formatScheduleForGateway(at("2026-03-29T01:00:00Z"))).toBe("2026-03-29 03:00");
  });

  it("is right on both sides of the October 2026 change (25 Oct, 03:00 CEST → 02:00 CET)", () => {
    expect(formatScheduleForGateway(at("2026-10-25T00:30:00Z"))).toBe("2026-10-25 02:30");
    expect(formatScheduleForGateway(at("2026-10-25T01:30:00Z"))).toBe("2026-10-25 02:30");
    expect(formatScheduleForGateway(at("2026-10-25T02:00:00Z"))).toBe("2026-10-25 03:00");
  });

  it("round-trips with scheduleToInstant", () => {
    const instant = at("2026-11-26T09:00:00Z");
    const [date = "", time = ""] = formatScheduleForGateway(instant).split(" ");
    expect(scheduleToInstant(date, time)).toEqual({ ok: true, instant });
  });
});

describe("scheduleToInstant", () => {
  it("reads Warsaw time in winter and in summer", () => {
    expect(scheduleToInstant("2026-11-26", "10:00")).toEqual({ ok: true, instant: at("2026-11-26T09:00:00Z") });
    expect(scheduleToInstant("2026-07-15", "10:00")).toEqual({ ok: true, instant: at("2026-07-15T08:00:00Z") });
    expect(scheduleToInstant(" 2026-07-15 ", " 10:00 ")).toEqual({ ok: true, instant: at("2026-07-15T08:00:00Z") });
  });

  it("refuses the hour skipped on 29 March 2026", () => {
    const result = scheduleToInstant("2026-03-29", "02:30");
    expect(result).toMatchObject({ ok: false, reason: "skipped-by-clock-change" });
    if (result.ok) throw new Error("expected a refusal");
    expect(result.message).toContain("02:30 does not exist on 2026-03-29 in Warsaw: clocks jump from 02:00 to 03:00");
    expect(scheduleToInstant("2026-03-29", "01:59")).toEqual({ ok: true, instant: at("2026-03-29T00:59:00Z") });
    expect(scheduleToInstant("2026-03-29", "03:00")).toEqual({ ok: true, instant: at("2026-03-29T01:00:00Z") });
  });

  it("takes the first 02:30 on 25 October 2026, when the hour repeats", () => {
    expect(scheduleToInstant("2026-10-25", "02:30")).toEqual({ ok: true, instant: at("2026-10-25T00:30:00Z") });
    expect(scheduleToInstant("2026-10-25", "03:00")).toEqual({ ok: true, instant: at("2026-10-25T02:00:00Z") });
  });

  it.each([
    ["26.11.2026", "10:00"],
    ["2026-11-26", "10"],
    ["2026-11-26", "10:00:00"],
    ["2026-1-6", "10:00"],
    ["", ""],
  ])("refuses %j %j as malformed", (date, time) => {
    expect(scheduleToInstant(date, time)).toMatchObject({ ok: false, reason: "malformed", message: expect.stringContaining("YYYY-MM-DD") });
  });

  it("refuses impossible dates and times", () => {
    expect(scheduleToInstant("2026-02-30", "10:00")).toMatchObject({ ok: false, reason: "no-such-date" });
    expect(scheduleToInstant("2026-13-01", "10:00")).toMatchObject({ ok: false, reason: "no-such-date" });
    expect(scheduleToInstant("2026-11-26", "24:00")).toMatchObject({ ok: false, reason: "malformed" });
    expect(scheduleToInstant("2026-11-26", "10:60")).toMatchObject({ ok: false, reason: "malformed" });
    expect(scheduleToInstant("2028-02-29", "10:00")).toMatchObject({ ok: true });
  });
});

describe("describeSchedule", () => {
  it("names the day, the Warsaw time and the zone in force", () => {
    expect(describeSchedule(at("2026-11-26T09:00:00Z"))).toBe("Thu 26 Nov 2026, 10:00 (Warsaw, CET)");
    expect(describeSchedule(at("2026-07-15T08:00:00Z"))).toBe("Wed 15 Jul 2026, 10:00 (Warsaw, CEST)");
  });

  it("switches CET/CEST exactly at the 2026 changes", () => {
    expect(describeSchedule(at("2026-03-29T00:59:00Z"))).toBe("Sun 29 Mar 2026, 01:59 (Warsaw, CET)");
    expect(describeSchedule(at("2026-03-29T01:00:00Z"))).toBe("Sun 29 Mar 2026, 03:00 (Warsaw, CEST)");
    // The repeated hour: the zone tells the two 02:30s apart.
    expect(describeSchedule(at("2026-10-25T00:30:00Z"))).toBe("Sun 25 Oct 2026, 02:30 (Warsaw, CEST)");
    expect(describeSchedule(at("2026-10-25T01:30:00Z"))).toBe("Sun 25 Oct 2026, 02:30 (Warsaw, CET)");
  });

  it("agrees with warsawZoneAbbreviation", () => {
    expect(warsawZoneAbbreviation(at("2026-01-01T12:00:00Z"))).toBe("CET");
    expect(warsawZoneAbbreviation(at("2026-06-01T12:00:00Z"))).toBe("CEST");
    expect(warsawZoneAbbreviation(at("2026-10-25T00:59:59.999Z"))).toBe("CEST");
    expect(warsawZoneAbbreviation(at("2026-10-25T01:00:00Z"))).toBe("CET");
  });
});

describe("outsideSendingHours", () => {
  it("is false from 08:00 to 21:00 Warsaw time, both ends included", () => {
    expect(outsideSendingHours(at("2026-11-26T07:00:00Z"))).toBe(false); // 08:00 CET
    expect(outsideSendingHours(at("2026-11-26T20:00:00Z"))).toBe(false); // 21:00 CET
    expect(outsideSendingHours(at("2026-07-15T06:00:00Z"))).toBe(false); // 08:00 CEST
    expect(outsideSendingHours(at("2026-07-15T19:00:00Z"))).toBe(false); // 21:00 CEST
  });

  it("is true at night, judged by Warsaw time whatever the season", () => {
    expect(outsideSendingHours(at("2026-11-26T06:59:00Z"))).toBe(true); // 07:59 CET
    expect(outsideSendingHours(at("2026-11-26T20:01:00Z"))).toBe(true); // 21:01 CET
    expect(outsideSendingHours(at("2026-07-15T05:59:00Z"))).toBe(true); // 07:59 CEST
    expect(outsideSendingHours(at("2026-07-15T19:01:00Z"))).toBe(true); // 21:01 CEST
    // 07:30 UTC is 08:30 in winter but 09:30 in summer; 06:30 UTC is 07:30 in winter, 08:30 in summer.
    expect(outsideSendingHours(at("2026-03-28T06:30:00Z"))).toBe(true);
    expect(outsideSendingHours(at("2026-03-29T06:30:00Z"))).toBe(false);
    expect(outsideSendingHours(at("2026-10-24T19:30:00Z"))).toBe(true); // 21:30 CEST
    expect(outsideSendingHours(at("2026-10-25T19:30:00Z"))).toBe(false); // 20:30 CET
  });
});
