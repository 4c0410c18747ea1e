"""The yearly evaluation as plain report data: what the page previews and the PDF prints.

Built by ``domain.evaluation.figures`` from the stored records and the Karo's records of the year
(``domain.evaluation.conclusions``, ``notes``, ``sanctions``); ``reports/`` reads nothing else.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from domain import catalogue as cat

EVALUATED_ROLES = (cat.KABAG, cat.KASUBBAG, cat.STAF)  # the executors (pelaksana) evaluated one by one
ROLE_ORDER = (cat.KABAG, cat.KASUBBAG, cat.STAF, cat.KARO)
EXTERNAL = "eksternal"  # key of the steps of parties outside the Bureau
UNIT_PARTIES = (cat.UNIT, cat.UNIT_HEAD)  # outside parties whose delays are summed by the case's unit
LATE_LIST_LIMIT = 100
COMPLAINT_LIST_LIMIT = 200
EXECUTOR_LATE_LIMIT = 8
EXECUTOR_CASE_LIMIT = 8  # cases listed on an executor's sheet; the rest in one row
LATENESS_BUCKETS: tuple[tuple[float, float, str], ...] = (
    (0, 1, "< 1"), (1, 3, "1–3"), (3, 5, "3–5"), (5, 10, "5–10"), (10, math.inf, "≥ 10"))

# The seed's standard of executor competence (A.8), item by item, and how the Karo notes each.
COMPETENCES = ("a", "b", "c", "d", "e")
ADEQUATE, TO_DEVELOP = "memadai", "perlu_ditingkatkan"
COMPETENCE_LEVELS = (ADEQUATE, TO_DEVELOP)
# Reprimands and sanctions (seed I.4).
SANCTION_KINDS = ("teguran_lisan", "teguran_tertulis", "sanksi")
# How an executor's year compares with the Karo's targets.
MET, PARTLY_MET, NOT_MET, NOT_RATED, NO_TARGETS = "memenuhi", "sebagian", "belum", "tidak_dinilai", "tanpa_target"


@dataclass(frozen=True)
class Figures:
    """One executor's, one role's or the Bureau's figures for one year."""

    steps_handled: int = 0  # finished in the year
    steps_with_standard: int = 0  # judged items (steps and blocks the seed times) finished in the year
    on_time: int = 0
    late_finished: int = 0
    open_overdue: int = 0  # still running past the due instant at the cut-off
    median_late_days: float | None = None  # over late finished and open overdue items
    worst_late_days: float | None = None
    late_days_total: float = 0.0  # working days late, added up over the same items
    cases_completed: int = 0
    documents_completed: int = 0
    complaints_delegated: int = 0
    complaints_handled: int = 0
    complaints_resolved: int = 0
    median_resolution_days: float | None = None
    worst_resolution_days: float | None = None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.steps_with_standard if self.steps_with_standard else None

    @property
    def late_steps(self) -> int:
        return self.late_finished + self.open_overdue

    @property
    def judged(self) -> int:
        """Items judged in the year: finished in it, or overdue at the cut-off."""
        return self.steps_with_standard + self.open_overdue

    @property
    def has_data(self) -> bool:
        return bool(self.steps_handled or self.open_overdue or self.cases_completed
                    or self.complaints_delegated or self.complaints_handled)


@dataclass(frozen=True)
class ExecutorInfo:
    id: str
    name: str
    nip: str | None
    role: str
    active: bool = True


@dataclass(frozen=True)
class LateStep:
    case_number: str
    case_title: str
    step_code: str
    step_name: str
    who: str  # the executor's name, or the responsible role / outside party
    executor_id: str | None
    due_at: dt.datetime
    finished_at: dt.datetime | None  # None: still running at the cut-off
    late_days: float

    @property
    def open(self) -> bool:
        return self.finished_at is None


@dataclass(frozen=True)
class CaseLine:
    """An executor's own figures in one case in the year (or, with ``cases`` > 1, several cases
    together: the rest of those not listed one by one)."""

    case_number: str
    case_title: str
    pic: bool  # the executor is the case's PIC
    finished: bool  # the case finished in the year
    steps_handled: int
    judged: int  # judged items counted for them
    late: int
    late_days: float  # working days late, added up
    cases: int = 1


@dataclass(frozen=True)
class Targets:
    """What the Karo expects of every executor in the year: at least this share of judged items
    on time, and late items late by at most this many working days (median)."""

    on_time_pct: float | None = None
    late_days: float | None = None

    @property
    def set(self) -> bool:
        return self.on_time_pct is not None and self.late_days is not None


@dataclass(frozen=True)
class Rating:
    verdict: str  # MET, PARTLY_MET, NOT_MET, NOT_RATED or NO_TARGETS
    on_time_met: bool | None = None
    lateness_met: bool | None = None
    rank: int | None = None  # within the role, 1 the best; None when not rated
    ranked: int = 0  # executors of the role rated


@dataclass(frozen=True)
class ExecutorNote:
    """The Karo's notes on one executor for one year."""

    year: int
    executor_id: str
    competence: dict[str, str] = field(default_factory=dict)  # A.8 item -> level; an item not noted is absent
    competence_note: str = ""
    note: str = ""
    recommendation: str = ""
    follow_up: str = ""  # how the year before's recommendation was followed up
    version: int = 0
    updated_by: str | None = None
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class Sanction:
    """A reprimand or sanction given to an executor (seed I.4)."""

    id: str
    executor_id: str
    kind: str  # one of SANCTION_KINDS
    decided_on: dt.date
    reason: str
    reference: str = ""  # the letter's number
    withdrawn: bool = False
    withdraw_reason: str = ""
    version: int = 0


@dataclass(frozen=True)
class ExecutorEvaluation:
    executor: ExecutorInfo
    figures: Figures
    previous: Figures | None  # the year before, when that year has data
    late_steps: tuple[LateStep, ...] = ()  # the worst ones, at most EXECUTOR_LATE_LIMIT
    late_steps_total: int = 0
    cases: tuple[CaseLine, ...] = ()  # their cases, most working days late first; the rest in one line
    pic_completed: int = 0  # cases they are PIC of, finished in the year
    pic_active: int = 0  # ... and open at the cut-off
    rating: Rating = Rating(NO_TARGETS)
    note: ExecutorNote | None = None
    previous_recommendation: str = ""  # the Karo's recommendation of the year before
    sanctions: tuple[Sanction, ...] = ()  # given in the year, withdrawn ones included

    @property
    def evaluated(self) -> bool:
        return self.executor.role in EVALUATED_ROLES


@dataclass(frozen=True)
class RoleEvaluation:
    role: str
    executors: int
    figures: Figures
    previous: Figures | None


@dataclass(frozen=True)
class BureauFigures:
    figures: Figures  # the Bureau's own steps (all executors) and every complaint
    external_steps: int = 0  # steps of parties outside the Bureau finished in the year
    external_with_standard: int = 0
    external_on_time: int = 0
    cases_started: int = 0
    cases_active: int = 0  # open at the cut-off
    median_case_days: float | None = None  # completed cases, working days less holds
    median_case_standard_days: float | None = None
    cases_within_plan: int = 0
    complaints_received: int = 0
    complaints_open: int = 0  # received up to the cut-off and not answered or closed by then
    complaints_within_standard: int = 0  # resolved in the year within the response standard

    @property
    def external_on_time_share(self) -> float | None:
        return self.external_on_time / self.external_with_standard if self.external_with_standard else None

    @property
    def complaints_within_standard_share(self) -> float | None:
        n = self.figures.complaints_resolved
        return self.complaints_within_standard / n if n else None


@dataclass(frozen=True)
class StageFigures:
    stage: int
    name: str
    steps_finished: int
    steps_with_standard: int  # judged items of the stage finished in the year
    steps_on_time: int
    cases: int  # case stages completed in the year
    standard_days: float | None  # mean over those case stages; None when the standard gives no time
    actual_days: float | None  # mean working time of the timed steps (the stage less its untimed steps)
    median_actual_days: float | None
    within_standard: int
    untimed_days: float | None = None  # mean working time of the steps without a standard time (7, 8.a, 9.b)

    @property
    def on_time_share(self) -> float | None:
        return self.steps_on_time / self.steps_with_standard if self.steps_with_standard else None


@dataclass(frozen=True)
class OutputRow:
    """Cases completed in the year on one track, by kind of document (SP, SOP, both)."""

    track: str
    cases: tuple[int, ...]  # by OUTPUT_KINDS
    documents: tuple[int, ...]


OUTPUT_KINDS = ("SP", "SOP", "SP dan SOP")


@dataclass(frozen=True)
class DelayGroup:
    """Judged items of one outside party, or of one unit (its own steps and its head's)."""

    name: str
    judged: int  # finished in the year, or overdue at the cut-off
    late: int
    late_days: float  # working days late, added up
    median_late_days: float | None
    worst_late_days: float | None


@dataclass(frozen=True)
class ComplaintOutcome:
    receipt_no: str
    kind: str
    unit: str
    subject: str
    received_at: dt.datetime
    status: str
    delegated_to: str | None
    resolved_at: dt.datetime | None
    resolution_days: float | None
    within_standard: bool | None
    outcome: str  # the answer or resolution as written, or "" when none yet


@dataclass(frozen=True)
class MonthPoint:
    year: int
    month: int
    steps: int
    on_time: int

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.steps if self.steps else None


@dataclass(frozen=True)
class Signatory:
    name: str
    nip: str | None
    title: str = ""


@dataclass(frozen=True)
class Conclusion:
    """The Karo's conclusion of a year: from then on the PDF is final, signed and numbered."""

    id: str
    year: int
    document_no: str
    concluded_at: dt.datetime
    concluded_by: str
    signer: Signatory
    reopened_at: dt.datetime | None = None
    reopened_by: str | None = None
    reopen_reason: str = ""
    version: int = 0


@dataclass(frozen=True)
class Conclusions:
    """The Karo's record of a year: conclusions and follow-up, targets, who acknowledges, and the
    conclusion in force (None: the evaluation is still a draft)."""

    year: int
    text: str = ""
    follow_up: str = ""
    version: int = 0  # 0: never saved
    updated_by: str | None = None
    updated_at: dt.datetime | None = None
    targets: Targets = Targets()
    acknowledger: Signatory | None = None  # "Mengetahui": a Deputi, where the Karo names one
    concluded: Conclusion | None = None

    @property
    def empty(self) -> bool:
        return not (self.text.strip() or self.follow_up.strip())

    @property
    def final(self) -> bool:
        return self.concluded is not None


@dataclass(frozen=True)
class Evaluation:
    year: int
    as_of: dt.datetime  # the cut-off: end of the year, or now for the current year
    generated_at: dt.datetime
    has_data: bool
    previous_has_data: bool
    executors: tuple[ExecutorEvaluation, ...]
    roles: tuple[RoleEvaluation, ...]
    bureau: BureauFigures
    previous_bureau: BureauFigures | None
    stages: tuple[StageFigures, ...]
    late_steps: tuple[LateStep, ...]  # the worst ones, at most LATE_LIST_LIMIT
    late_steps_total: int
    complaints: tuple[ComplaintOutcome, ...]  # received in the year, at most COMPLAINT_LIST_LIMIT
    complaints_total: int
    months: tuple[MonthPoint, ...]  # this year and, where data exist, the year before
    lateness_buckets: tuple[tuple[str, int], ...]
    conclusions: Conclusions
    karo: Signatory | None  # the active Karo; the signer is the conclusion's
    complaint_standard_days: int = 5
    output: tuple[OutputRow, ...] = ()
    delays_by_party: tuple[DelayGroup, ...] = ()  # every outside party with a judged item
    delays_by_unit: tuple[DelayGroup, ...] = ()  # the units' own items (UNIT_PARTIES), by the case's units
    output_kinds: tuple[str, ...] = OUTPUT_KINDS  # the columns of ``output``
    external: Figures = Figures()  # the outside parties' items together
    provisional: bool = False  # the year is still running at the cut-off: its figures may still change

    @property
    def period_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def period_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def final(self) -> bool:
        return self.conclusions.final

    @property
    def signer(self) -> Signatory | None:
        return self.conclusions.concluded.signer if self.conclusions.concluded else self.karo

    @property
    def evaluated_executors(self) -> tuple[ExecutorEvaluation, ...]:
        return tuple(e for e in self.executors if e.evaluated)

    def executor(self, executor_id: str) -> ExecutorEvaluation | None:
        return next((e for e in self.executors if e.executor.id == executor_id), None)
