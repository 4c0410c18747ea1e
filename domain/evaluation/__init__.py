"""Yearly evaluation of the executors (section L of the service standard: at least once a year).

The figures come from the stored records (DataFrames, as ``data_access/evaluation_data.py`` reads
them) as plain report data (``report.py``), which the app previews and ``reports/`` prints:
``figures.py`` computes them, ``conclusions.py`` keeps the Karo's conclusions, ``notation.py``
writes the numbers, ``inputs.py`` names what is read.

How the figures are counted (printed in the PDF as well, see ``evaluation.method.*`` texts):
- Steps handled: the steps finished (``selesai``) in the year, Asia/Jakarta time, credited to the
  executor who did them (``actor_id``) and to their party; skipped steps are not counted; steps of
  parties outside the Bureau are never an executor's.
- Timeliness is the one rule's (``domain/timing.py``): the judged steps and blocks finished in the
  year (on time or late) and those running past their due instant at the cut-off (the end of the
  year, or today for the current year), each counted for its party (the Bureau's roles and the Tim
  Penyusun, whose rows add up to the Bureau; the outside parties) and for the executor who did its
  (longest) step. Median and worst lateness, in working days, are over both kinds of late item.
- Cases completed: cases finished in the year; an executor's are those in which they did a step.
  Documents: the SP/SOP drafts of those cases.
- Complaints delegated: delegated to the executor in the year. Handled: complaints on which the
  executor recorded an action in the year. Resolution time: working days from delegation (for an
  executor) or receipt (for the Bureau) to the answer, or to closing when there is no answer.
- Stages: a case's stage counts in the year in which its last step finished; its actual time is
  the working time from the stage's first start to its last finish, less holds; its standard time
  is the stage's span in the case's plan (block slack included).
"""
from __future__ import annotations

from domain.evaluation.conclusions import (  # noqa: F401
    CONCLUSION_MAX_CHARS, check_year, conclude_year, conclusions_id, parse_conclusions, read_conclusions, record_pdf,
    reopen_year, save_acknowledger, save_conclusions, save_targets, year_ended,
)
from domain.evaluation.figures import available_years, evaluate  # noqa: F401
from domain.evaluation.notation import (  # noqa: F401
    STATUS_OUTCOME, fmt_change, fmt_days, fmt_dec, fmt_int, fmt_pct, status_outcome,
)
from domain.evaluation.notes import read_note, save_note  # noqa: F401
from domain.evaluation.report import (  # noqa: F401
    ADEQUATE, COMPETENCE_LEVELS, COMPETENCES, COMPLAINT_LIST_LIMIT, EVALUATED_ROLES, EXECUTOR_CASE_LIMIT,
    EXECUTOR_LATE_LIMIT, EXTERNAL, LATE_LIST_LIMIT, LATENESS_BUCKETS, MET, NO_TARGETS, NOT_MET, NOT_RATED,
    OUTPUT_KINDS, PARTLY_MET, ROLE_ORDER, SANCTION_KINDS, TO_DEVELOP, UNIT_PARTIES, BureauFigures, CaseLine,
    ComplaintOutcome, Conclusion, Conclusions, DelayGroup, Evaluation, ExecutorEvaluation, ExecutorInfo, ExecutorNote,
    Figures, LateStep, MonthPoint, OutputRow, Rating, RoleEvaluation, Sanction, Signatory, StageFigures, Targets,
)
from domain.evaluation.sanctions import record_sanction, withdraw_sanction  # noqa: F401
