"""Reads an iCalendar file with Python's `icalendar` and expands its series
with `recurring-ical-events`, neither of which shares code with the program
that wrote it, and prints what a calendar program would show, as JSON:

    {"name": X-WR-CALNAME,
     "vevents": [{"uid", "summary", "location", "description", "rrule"}],
     "dates": [{"uid", "summary", "local", "offset", "vtimezone_offset"}]}

`local` is each date's local start; `offset` its UTC offset from the zone
database, `vtimezone_offset` from the file's own VTIMEZONE, so that the test
sees both agree (a program without the zone database reads the latter).

Usage: expand.py FILE.ics FROM-DATE TO-DATE
"""

import datetime
import json
import sys

import icalendar
import recurring_ical_events


def unknown_text(value):
    """A property `icalendar` does not know (`X-WR-CALNAME`), which it
    leaves escaped, read as TEXT, the type RFC 5545 gives such a property."""
    if value is None:
        return None
    raw = value.to_ical().decode() if hasattr(value, "to_ical") else str(value)
    out, chars = [], iter(raw)
    for c in chars:
        if c == "\\":
            nxt = next(chars, "")
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(c)
    return "".join(out)


def seconds(delta):
    return None if delta is None else int(delta.total_seconds())


def main():
    path, start, end = sys.argv[1:4]
    with open(path, "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    zones = {
        str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in calendar.walk("VTIMEZONE")
    }
    vevents = [
        {
            "uid": str(e.get("UID")),
            "summary": str(e.get("SUMMARY")),
            "location": None if e.get("LOCATION") is None else str(e.get("LOCATION")),
            "description": str(e.get("DESCRIPTION", "")),
            "rrule": None if e.get("RRULE") is None else e["RRULE"].to_ical().decode(),
        }
        for e in calendar.walk("VEVENT")
    ]
    dates = []
    between = recurring_ical_events.of(calendar).between(
        datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    )
    for e in between:
        at = e["DTSTART"].dt
        tzid = e["DTSTART"].params.get("TZID")
        own = at.replace(tzinfo=zones[tzid]) if tzid in zones else None
        dates.append(
            {
                "uid": str(e.get("UID")),
                "summary": str(e.get("SUMMARY")),
                "local": at.replace(tzinfo=None).isoformat(),
                "offset": seconds(at.utcoffset()),
                "vtimezone_offset": None if own is None else seconds(own.utcoffset()),
            }
        )
    dates.sort(key=lambda d: (d["local"], d["uid"]))
    name = unknown_text(calendar.get("X-WR-CALNAME"))
    json.dump({"name": name, "vevents": vevents, "dates": dates}, sys.stdout)


if __name__ == "__main__":
    main()
