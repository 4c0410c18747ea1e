"""The evaluation page's reads: a year's evaluation from the page's source (on Google Sheets the
page's one cached batch read) or, for a PDF about to be signed, fresh from the store."""
from __future__ import annotations

from data_access.evaluation_data import evaluation_for_year
from domain.calendar import now
from domain.evaluation import Evaluation


def year_evaluation(page, year: int, *, fresh: bool = False) -> Evaluation:
    """``year``'s evaluation as the page ``page`` (``ui.context.page``) sees it, at this instant."""
    return evaluation_for_year(page.repo if fresh else page.source, year, page.calendar, now(),
                               complaint_standard_days=page.settings.complaint_response_days)
