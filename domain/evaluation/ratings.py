"""Each executor against the Karo's targets for the year, and their place within their role.

An executor meets the targets when at least the target share of their judged items finished in the
year was on time, and their late items were late by at most the target's working days (median);
one of the two is "partly", neither "not met". Without a judged item they are not rated. Within a
role, those rated are ranked by the share on time (higher first), then by the median lateness
(lower first); equal on both, equal rank.
"""
from __future__ import annotations

from domain.evaluation.report import MET, NO_TARGETS, NOT_MET, NOT_RATED, PARTLY_MET, Figures, Rating, Targets

_EPS = 1e-9


def _standing(f: Figures) -> tuple[float, float]:
    share = f.on_time_share if f.on_time_share is not None else 0.0
    return (-round(share, 9), round(f.median_late_days or 0.0, 9))


def rate(figures: dict[str, Figures], roles: dict[str, str], targets: Targets) -> dict[str, Rating]:
    """Ratings of the executors ``figures`` names (``roles``: executor -> role)."""
    rated = {e: f for e, f in figures.items() if f.judged}
    ranks: dict[str, tuple[int, int]] = {}
    for role in set(roles.values()):
        mine = sorted((e for e in rated if roles.get(e) == role), key=lambda e: _standing(rated[e]))
        for i, e in enumerate(mine):
            ahead = next(j for j, o in enumerate(mine) if _standing(rated[o]) == _standing(rated[e]))
            ranks[e] = (min(i, ahead) + 1, len(mine))
    out = {}
    for e, f in figures.items():
        if e not in rated:
            out[e] = Rating(NOT_RATED)
            continue
        rank, of = ranks[e]
        if not targets.set:
            out[e] = Rating(NO_TARGETS, rank=rank, ranked=of)
            continue
        share = f.on_time_share
        on_time_met = share is not None and 100 * share + _EPS >= targets.on_time_pct
        lateness_met = f.median_late_days is None or f.median_late_days <= targets.late_days + _EPS
        verdict = MET if on_time_met and lateness_met else PARTLY_MET if on_time_met or lateness_met else NOT_MET
        out[e] = Rating(verdict, on_time_met, lateness_met, rank, of)
    return out
