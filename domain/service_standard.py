"""The service standard as the public reads it, every component of the seed, with what the app computes
put in: the procedure and its standard times from the catalogue, the whole service time from the plan
(``catalogue.plan``, the one the due instants and the progress count on) for typical cases, the
office hours from the Bureau's calendar, the complaint response standard from the settings.

The words of the seed are in the text catalogue (``domain/texts/standard.py``); this module says
which components there are, in which order, and computes the figures. Pages and the PDF draw it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from domain import catalogue as cat
from domain.calendar import WorkCalendar, format_hours
from domain.texts import t

# Examples of a case for the whole service time: the smallest case (the defaults, as a new case has
# them) and a larger one of several units and drafts meeting out of town.
TYPICAL = (cat.CaseParams(),
           cat.CaseParams(drafts=15, units=3, organisations=1, meeting_location=cat.OUT_OF_TOWN))


@dataclass(frozen=True)
class Block:
    """A piece of a component: a paragraph, a numbered list (items may have lettered sub-items), or
    a place the page fills in (``slot``: the procedure tables, the hours, the complaint links)."""

    kind: str  # "p" | "ol" | "slot"
    text: str = ""
    items: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Component:
    part: int  # 1 Pendahuluan, 2 Mekanisme dan Ketentuan Pelayanan
    key: str  # "A1" ... "L2": the seed's letter and part
    title: str
    blocks: tuple[Block, ...]


def _p(key: str, lang: str, **params) -> Block:
    return Block("p", t(key, lang, **params))


def _ol(lang: str, *keys: str, subs: dict[str, tuple[str, ...]] | None = None) -> Block:
    subs = subs or {}
    return Block("ol", items=tuple((t(k, lang), tuple(t(s, lang) for s in subs.get(k, ()))) for k in keys))




@dataclass
class Times:
    """The service times the app computes with."""

    minutes_per_day: int
    standard_hours: str
    examples: pd.DataFrame  # label, permen days, intern days
    stages: pd.DataFrame  # stage, name, permen days, intern days (first example)
    steps: pd.DataFrame  # code, step, executor, standard time, plan minutes, track
    weekdays: list[tuple[int, str]] = field(default_factory=list)  # weekday, hours ("" closed)


def typical_label(p: cat.CaseParams, lang: str) -> str:
    return t("standard.typical.label", lang, units=p.units, drafts=p.drafts, orgs=p.organisations,
             where=t(f"standard.where.{p.meeting_location}", lang), decree=t(f"standard.decree.{p.team_decree}", lang))


def stage_minutes(params: cat.CaseParams, minutes_per_day: int) -> dict[int, int]:
    """Each stage's working minutes in the plan: from its first step's offset to the next stage's
    (a block's remaining time counts in the stage it ends)."""
    plan = cat.plan(params, minutes_per_day)
    starts: dict[int, int] = {}
    for ps in plan.steps:
        starts.setdefault(ps.step.stage, ps.offset)
    stages = sorted(starts)
    return {s: (starts[stages[i + 1]] if i + 1 < len(stages) else plan.total) - starts[s]
            for i, s in enumerate(stages)}


def _days(minutes: float, mpd: int) -> float:
    return round(minutes / mpd, 1)


def times(calendar: WorkCalendar, lang: str = "id") -> Times:
    from domain.tracker import fmt_minutes  # the one way durations are written

    mpd = calendar.minutes_per_day
    examples = pd.DataFrame([{
        "label": typical_label(p, lang),
        "permen": _days(cat.planned_minutes(p, mpd), mpd),
        "intern": _days(cat.planned_minutes(cat.CaseParams(cat.INTERN, p.drafts, p.units, p.organisations,
                                                           p.meeting_location, p.team_decree), mpd), mpd)}
        for p in TYPICAL])
    first = TYPICAL[0]
    permen = stage_minutes(first, mpd)
    intern = stage_minutes(cat.CaseParams(cat.INTERN), mpd)
    # A stage off the track, or without a standard time of its own (the Minister signs): no figure.
    stages = pd.DataFrame([{"stage": s, "name": name,
                            "permen": _days(permen[s], mpd) if permen.get(s) else None,
                            "intern": _days(intern[s], mpd) if intern.get(s) else None}
                           for s, name in cat.STAGES.items()])
    plan = cat.step_minutes(first, mpd)
    rows = []
    for s in cat.STEPS:  # every step, the alternatives too (as the seed lists them)
        if s.std is not None:
            std = s.std.label()
        elif s.block:
            block = cat.BLOCKS[s.block]
            std = t("standard.block", lang, block=s.block.split("/")[0], std=block.std.label())
        else:
            std = t("standard.no_time", lang)
        rows.append({"code": s.code, "step": s.name, "actor": ", ".join(s.actors), "std": std,
                     "plan": fmt_minutes(plan[s.code], mpd, lang) if s.code in plan else "",
                     "track": t(f"standard.track.{'permen' if s.tracks == cat.ONLY_PERMEN else 'all'}", lang)})
    steps = pd.DataFrame(rows)
    weekdays = [(d, format_hours(calendar.weekday_default(d))) for d in range(7)]
    return Times(mpd, format_hours(calendar.standard_hours), examples, stages, steps, weekdays)


def components(lang: str = "id") -> list[Component]:
    """Every component of the seed's standard, in its order; ``slot`` blocks are computed parts."""
    c = []
    c.append(Component(1, "A1", t("standard.A1.title", lang),
                       (_ol(lang, "standard.A1.1", "standard.A1.2", "standard.A1.3"),)))
    c.append(Component(1, "B1", t("standard.B1.title", lang), (_p("standard.B1.text", lang),)))
    c.append(Component(1, "C1", t("standard.C1.title", lang),
                       (_p("standard.C1.text1", lang), _p("standard.C1.text2", lang))))
    c.append(Component(1, "D1", t("standard.D1.title", lang), (_ol(
        lang, *(f"standard.D1.{i}" for i in range(1, 9)),
        subs={"standard.D1.8": tuple(f"standard.D1.8.{x}" for x in "abcde")}),)))
    c.append(Component(2, "A2", t("standard.A2.title", lang),
                       (_p("standard.A2.text", lang), Block("slot", "flowchart"))))
    c.append(Component(2, "B2", t("standard.B2.title", lang), (Block("slot", "procedure"),)))
    c.append(Component(2, "C2", t("standard.C2.title", lang), (_ol(
        lang, "standard.C2.1", "standard.C2.2",
        subs={"standard.C2.1": ("standard.C2.1.a", "standard.C2.1.b"),
              "standard.C2.2": ("standard.C2.2.a", "standard.C2.2.b")}),)))
    c.append(Component(2, "D2", t("standard.D2.title", lang), (_p("standard.D2.text", lang),)))
    c.append(Component(2, "E2", t("standard.E2.title", lang), (_p("standard.E2.text", lang),)))
    c.append(Component(2, "F2", t("standard.F2.title", lang), (_p("standard.F2.text", lang),)))
    c.append(Component(2, "G2", t("standard.G2.title", lang), (_p("standard.G2.text", lang), Block("slot", "hours"))))
    c.append(Component(2, "H2", t("standard.H2.title", lang),
                       (_ol(lang, "standard.H2.1", "standard.H2.2", "standard.H2.3"), Block("slot", "complaints"))))
    c.append(Component(2, "I2", t("standard.I2.title", lang),
                       (_ol(lang, *(f"standard.I2.{i}" for i in range(1, 5))),)))
    c.append(Component(2, "J2", t("standard.J2.title", lang),
                       (_ol(lang, *(f"standard.J2.{i}" for i in range(1, 4))), Block("slot", "published"))))
    c.append(Component(2, "K2", t("standard.K2.title", lang),
                       (_ol(lang, *(f"standard.K2.{i}" for i in range(1, 6))),)))
    c.append(Component(2, "L2", t("standard.L2.title", lang), (_p("standard.L2.text", lang),)))
    return c


def schedule_lines(calendar: WorkCalendar, lang: str = "id") -> list[str]:
    """The office hours by weekday, days with the same hours together: 'Senin–Kamis 07.30–16.00'."""
    groups: list[tuple[int, int, str]] = []
    for d in range(7):
        hours = format_hours(calendar.weekday_default(d))
        if groups and groups[-1][2] == hours and groups[-1][1] == d - 1:
            groups[-1] = (groups[-1][0], d, hours)
        else:
            groups.append((d, d, hours))
    out = []
    for a, b, hours in groups:
        days = t(f"calendar.weekday.{a}", lang) + (f"–{t(f'calendar.weekday.{b}', lang)}" if b != a else "")
        out.append(f"{days}: {hours or t('calendar.closed', lang)}")
    return out


def periods_text(entries: list[dict], today: dt.date, lang: str = "id") -> str:
    """The special periods in force or to come (Ramadan hours, closures), for the schedule."""
    from domain import bureau_calendar as bc

    shown = [bc.describe(r, lang) for r in bc.active_entries(entries)
             if r.get("kind") == bc.PERIOD and (r.get("last_day") or r.get("first_day")) is not None
             and pd.Timestamp(r.get("last_day") or r.get("first_day")).date() >= today]
    return "; ".join(shown)
