"""The yearly evaluation as plain report data: what the page previews and the PDF prints.

Built by ``domain.evaluation.figures`` from the stored records; ``reports/`` reads nothing else.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from domain import catalogue as cat

EVALUATED_ROLES = (cat.KABAG, cat.KASUBBAG, cat.STAF)  # the executors (pelaksana) evaluated one by one
ROLE_ORDER = (cat.KABAG, cat.KASUBBAG, cat.STAF, cat.KARO)
EXTERNAL = "eksternal"  # key of the steps of parties outside the Bureau
LATE_LIST_LIMIT = 100
COMPLAINT_LIST_LIMIT = 200
EXECUTOR_LATE_LIMIT = 8
LATENESS_BUCKETS: tuple[tuple[float, float, str], ...] = (
    (0, 1, "< 1"), (1, 3, "1–3"), (3, 5, "3–5"), (5, 10, "5–10"), (10, math.inf, "≥ 10"))


@dataclass(frozen=True)
class Figures:
    """One executor's, one role's or the Bureau's figures for one year."""

    steps_handled: int = 0  # finished in the year
    steps_with_standard: int = 0  # of those, steps the standard gives a time for
    on_time: int = 0
    late_finished: int = 0
    open_overdue: int = 0  # still running past the due instant at the cut-off
    median_late_days: float | None = None  # over late finished and open overdue steps
    worst_late_days: float | None = None
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
class ExecutorEvaluation:
    executor: ExecutorInfo
    figures: Figures
    previous: Figures | None  # the year before, when that year has data
    late_steps: tuple[LateStep, ...] = ()  # the worst ones, at most EXECUTOR_LATE_LIMIT
    late_steps_total: int = 0

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
    steps_with_standard: int
    steps_on_time: int
    cases: int  # case stages completed in the year
    standard_days: float | None  # mean over those case stages; None when the standard gives no time
    actual_days: float | None  # mean
    median_actual_days: float | None
    within_standard: int

    @property
    def on_time_share(self) -> float | None:
        return self.steps_on_time / self.steps_with_standard if self.steps_with_standard else None


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
class Conclusions:
    year: int
    text: str = ""
    follow_up: str = ""
    version: int = 0  # 0: never saved
    updated_by: str | None = None
    updated_at: dt.datetime | None = None

    @property
    def empty(self) -> bool:
        return not (self.text.strip() or self.follow_up.strip())


@dataclass(frozen=True)
class Signatory:
    name: str
    nip: str | None


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
    karo: Signatory | None
    complaint_standard_days: int = 5

    @property
    def period_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def period_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def evaluated_executors(self) -> tuple[ExecutorEvaluation, ...]:
        return tuple(e for e in self.executors if e.evaluated)

    def executor(self, executor_id: str) -> ExecutorEvaluation | None:
        return next((e for e in self.executors if e.executor.id == executor_id), None)
