#!/usr/bin/python3
"""The reference lists for tests/holiday_law_test.cpp, written without the library's rules engine.

Each built-in holiday set has a file tests/data/holidays/<set>.txt: one line per closed day,
"YYYY-MM-DD  name", for 2000-2040. Its lines come either from a published list (GOV.UK's bank
holidays, Etalab's jours fériés), transcribed by this script from the list's own file, or from the
statute's words as written out below. `check` compares every file with the statute, year by
year, so a published list and the statute back each other up.

The statute functions are deliberately plain: each holiday is written the way the law states
it, substitute days come from a table rather than a search, and Easter comes from
python3-dateutil (Debian's package), not from the library's own computus.

  holiday_reference.py statute SET FIRST LAST         the statute's days, as reference lines
  holiday_reference.py govuk BANK_HOLIDAYS_JSON FIRST LAST
                                                      GOV.UK's list (gov.uk/bank-holidays.json),
                                                      England and Wales, with the weekend days
  holiday_reference.py etalab JOURS_FERIES_CSV FIRST LAST
                                                      Etalab's jours_feries_seuls.csv (data.gouv.fr)
  holiday_reference.py check [DATA_DIR]               every reference file against the statute
"""

import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path

from dateutil.easter import EASTER_WESTERN, easter

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)  # date.weekday()
FIRST_YEAR, LAST_YEAR = 2000, 2040
DAY = timedelta(days=1)


def nth_weekday(year, month, weekday, n):
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def last_weekday(year, month, weekday):
    last = date(year + (month == 12), month % 12 + 1, 1) - DAY
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def is_weekend(day):
    return day.weekday() in (SAT, SUN)


def weekend_line(day, name):
    """A holiday's own date when it is a Saturday or Sunday: the calendar closes it as well."""
    return (day, name + " (weekend)")


# --- England and Wales -----------------------------------------------------------------------

# Royal proclamations under the Banking and Financial Dealings Act 1971, s. 1(2)-(3), 2000-2040:
# year -> (the usual days they took away, the days they appointed).
UK_PROCLAMATIONS = {
    2002: ([date(2002, 5, 27)], [(date(2002, 6, 3), "Golden Jubilee bank holiday"),
                                 (date(2002, 6, 4), "Spring bank holiday")]),
    2011: ([], [(date(2011, 4, 29), "Royal wedding bank holiday")]),
    2012: ([date(2012, 5, 28)], [(date(2012, 6, 4), "Spring bank holiday"),
                                 (date(2012, 6, 5), "Queen's Diamond Jubilee")]),
    2020: ([date(2020, 5, 4)], [(date(2020, 5, 8), "Early May bank holiday (VE day)")]),
    2022: ([date(2022, 5, 30)], [(date(2022, 6, 2), "Spring bank holiday"),
                                 (date(2022, 6, 3), "Platinum Jubilee bank holiday"),
                                 (date(2022, 9, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II")]),
    2023: ([], [(date(2023, 5, 8), "Bank holiday for the coronation of King Charles III")]),
}


def uk_christmas(year):
    """Christmas Day and Boxing Day with their substitutes, by the weekday of 25 December."""
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    weekday = christmas.weekday()
    if weekday in (MON, TUE, WED, THU):
        return [(christmas, "Christmas Day"), (boxing, "Boxing Day")]
    if weekday == FRI:  # Boxing Day on Saturday: Monday 28th
        return [(christmas, "Christmas Day"), weekend_line(boxing, "Boxing Day"),
                (date(year, 12, 28), "Boxing Day (substitute day)")]
    if weekday == SAT:  # both on the weekend: Monday 27th and Tuesday 28th
        return [weekend_line(christmas, "Christmas Day"), weekend_line(boxing, "Boxing Day"),
                (date(year, 12, 27), "Christmas Day (substitute day)"),
                (date(year, 12, 28), "Boxing Day (substitute day)")]
    # Christmas on Sunday: Boxing Day keeps Monday 26th, Christmas moves to Tuesday 27th.
    return [weekend_line(christmas, "Christmas Day"), (boxing, "Boxing Day"),
            (date(year, 12, 27), "Christmas Day (substitute day)")]


def uk_new_year(year):
    """1 January, or the Monday after when it is a Saturday or Sunday."""
    day = date(year, 1, 1)
    if not is_weekend(day):
        return [(day, "New Year's Day")]
    monday = day + timedelta(days=(MON - day.weekday()) % 7)
    return [weekend_line(day, "New Year's Day"), (monday, "New Year's Day (substitute day)")]


def england_and_wales(year):
    sunday = easter(year, EASTER_WESTERN)
    days = uk_new_year(year) + [
        (sunday - 2 * DAY, "Good Friday"),
        (sunday + DAY, "Easter Monday"),
        (nth_weekday(year, 5, MON, 1), "Early May bank holiday"),
        (last_weekday(year, 5, MON), "Spring bank holiday"),
        (last_weekday(year, 8, MON), "Summer bank holiday"),
    ] + uk_christmas(year)
    taken_away, appointed = UK_PROCLAMATIONS.get(year, ([], []))
    for day in taken_away:
        assert any(d == day for d, _ in days), f"{day} is not a usual bank holiday"
    return [(d, n) for d, n in days if d not in taken_away] + appointed


# --- US federal ------------------------------------------------------------------------------

def us_legal_public_holidays(year):
    """5 U.S.C. 6103(a), the holiday's own date."""
    days = [(date(year, 1, 1), "New Year's Day"),
            (nth_weekday(year, 1, MON, 3), "Birthday of Martin Luther King, Jr."),
            (nth_weekday(year, 2, MON, 3), "Washington's Birthday"),
            (last_weekday(year, 5, MON), "Memorial Day")]
    if year >= 2021:  # Pub. L. 117-17
        days.append((date(year, 6, 19), "Juneteenth National Independence Day"))
    days += [(date(year, 7, 4), "Independence Day"),
             (nth_weekday(year, 9, MON, 1), "Labor Day"),
             (nth_weekday(year, 10, MON, 2), "Columbus Day"),
             (date(year, 11, 11), "Veterans Day"),
             (nth_weekday(year, 11, THU, 4), "Thanksgiving Day"),
             (date(year, 12, 25), "Christmas Day")]
    return days


def us_federal(year):
    """Each holiday, and where it falls on a weekend the day 6103(b) puts in its place: the
    Friday before a Saturday, the Monday after a Sunday (which can cross into another year)."""
    out = []
    for y in (year - 1, year, year + 1):
        for day, name in us_legal_public_holidays(y):
            if day.weekday() == SAT:
                out += [weekend_line(day, name), (day - DAY, name + " (observed)")]
            elif day.weekday() == SUN:
                out += [weekend_line(day, name), (day + DAY, name + " (observed)")]
            else:
                out.append((day, name))
    return [(d, n) for d, n in out if d.year == year]


# --- Germany and France ----------------------------------------------------------------------

def germany(year):
    """The holidays of all 16 Länder, and 2017's one-time Reformationstag."""
    sunday = easter(year, EASTER_WESTERN)
    days = [(date(year, 1, 1), "Neujahr"),
            (sunday - 2 * DAY, "Karfreitag"),
            (sunday + DAY, "Ostermontag"),
            (date(year, 5, 1), "Tag der Arbeit"),
            (sunday + 39 * DAY, "Christi Himmelfahrt"),
            (sunday + 50 * DAY, "Pfingstmontag"),
            (date(year, 10, 3), "Tag der Deutschen Einheit"),
            (date(year, 12, 25), "Erster Weihnachtstag"),
            (date(year, 12, 26), "Zweiter Weihnachtstag")]
    if year == 2017:
        days.append((date(2017, 10, 31), "Reformationstag (500. Jahrestag der Reformation)"))
    return days


def france(year):
    """Code du travail, article L3133-1."""
    sunday = easter(year, EASTER_WESTERN)
    return [(date(year, 1, 1), "Jour de l'an"),
            (sunday + DAY, "Lundi de Pâques"),
            (date(year, 5, 1), "Fête du Travail"),
            (date(year, 5, 8), "Victoire 1945"),
            (sunday + 39 * DAY, "Ascension"),
            (sunday + 50 * DAY, "Lundi de Pentecôte"),
            (date(year, 7, 14), "Fête nationale"),
            (date(year, 8, 15), "Assomption"),
            (date(year, 11, 1), "Toussaint"),
            (date(year, 11, 11), "Armistice 1918"),
            (date(year, 12, 25), "Noël")]


STATUTES = {"us_federal": us_federal, "uk_england_wales": england_and_wales, "germany": germany, "france": france}


# --- Published lists -------------------------------------------------------------------------

def govuk_lines(path, first, last):
    """GOV.UK's England and Wales events, with the weekend dates of the fixed-date holidays
    (GOV.UK lists only the weekday a holiday is kept on)."""
    events = json.loads(Path(path).read_text(encoding="utf-8"))["england-and-wales"]["events"]
    out = []
    for event in events:
        day = date.fromisoformat(event["date"])
        if first <= day.year <= last:
            note = " (substitute day)" if event["notes"].lower() == "substitute day" else ""
            out.append((day, event["title"] + note))
    for year in range(first, last + 1):
        for day, name in ((date(year, 1, 1), "New Year's Day"), (date(year, 12, 25), "Christmas Day"),
                          (date(year, 12, 26), "Boxing Day")):
            if is_weekend(day):
                out.append(weekend_line(day, name))
    return sorted(out)


def etalab_lines(path, first, last):
    """Etalab's jours_feries_seuls.csv: date, est_jour_ferie, nom_jour_ferie."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [(date.fromisoformat(r["date"]), r["nom_jour_ferie"]) for r in rows
            if r["est_jour_ferie"] == "True" and first <= int(r["date"][:4]) <= last]


def statute_lines(set_id, first, last):
    return sorted(line for year in range(first, last + 1) for line in STATUTES[set_id](year))


def print_lines(lines):
    for day, name in lines:
        print(f"{day.isoformat()}  {name}")


# --- Checking the files ----------------------------------------------------------------------

def read_reference(path):
    days = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        text, _, name = line.partition("  ")
        days.setdefault(date.fromisoformat(text), []).append(name.strip())
    return days


def check(data_dir):
    failures = 0
    for set_id, statute in STATUTES.items():
        reference = read_reference(Path(data_dir) / f"{set_id}.txt")
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            listed = {d for d in reference if d.year == year}
            by_statute = {d for d, _ in statute(year)}
            for day in sorted(listed - by_statute):
                print(f"{set_id} {year}: the file lists {day} ({'; '.join(reference[day])}), the statute does not")
                failures += 1
            for day in sorted(by_statute - listed):
                print(f"{set_id} {year}: the statute gives {day}, the file does not list it")
                failures += 1
        print(f"{set_id}: {FIRST_YEAR}-{LAST_YEAR} checked, {len(reference)} days in the file")
    return failures


def main(argv):
    if len(argv) >= 2 and argv[1] == "check":
        data_dir = argv[2] if len(argv) > 2 else Path(__file__).resolve().parent.parent / "data" / "holidays"
        failures = check(data_dir)
        print(f"{failures} differences")
        return 1 if failures else 0
    if len(argv) == 5 and argv[1] == "statute" and argv[2] in STATUTES:
        print_lines(statute_lines(argv[2], int(argv[3]), int(argv[4])))
        return 0
    if len(argv) == 5 and argv[1] == "govuk":
        print_lines(govuk_lines(argv[2], int(argv[3]), int(argv[4])))
        return 0
    if len(argv) == 5 and argv[1] == "etalab":
        print_lines(etalab_lines(argv[2], int(argv[3]), int(argv[4])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
