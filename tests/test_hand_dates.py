"""Dates typed by hand into a spreadsheet are read the way Indonesians write them: day first, with
Indonesian or English month names, long or short; what names no real day is not guessed at."""
import datetime as dt

import pytest

from domain.hand_dates import read_date, read_datetime

DEC_5 = dt.date(2026, 12, 5)


@pytest.mark.parametrize("typed", [
    "5/12/2026", "05/12/2026", "05-12-2026", "5-12-2026", "5.12.2026", "5/12/26",
    "5 Desember 2026", "05 Desember 2026", "5 Des 2026", "5 Des. 2026", "5-Des-2026", "5 desember 2026",
    "Sabtu, 5 Desember 2026", "Sabtu 5 Des 2026",
    "5 December 2026", "5 Dec 2026", "December 5, 2026", "Dec 5 2026", "Saturday, 5 December 2026",
    "2026-12-05", "  5 / 12 / 2026 ".replace(" / ", "/"),
])
def test_a_date_typed_in_a_common_indonesian_or_english_form_is_read_day_first(typed):
    assert read_date(typed) == DEC_5


@pytest.mark.parametrize("typed, month", [("5 Agustus 2026", 8), ("5 Agt 2026", 8), ("5 Agu 2026", 8),
                                          ("5 Mei 2026", 5), ("5 May 2026", 5), ("5 Okt 2026", 10),
                                          ("5 Oct 2026", 10), ("5 Sept 2026", 9), ("5 Maret 2026", 3)])
def test_month_names_differing_between_the_languages_are_all_known(typed, month):
    assert read_date(typed) == dt.date(2026, month, 5)


@pytest.mark.parametrize("typed", ["5/13/2026", "31/02/2026", "0/12/2026", "5 Foo 2026", "kemarin", "12/2026",
                                   "2026-13-01", "5//12/2026", "TRUE", ""])
def test_what_names_no_real_day_is_not_guessed(typed):
    assert read_date(typed) is None


@pytest.mark.parametrize("typed", ["5/12/2026 14.30", "5/12/2026 14:30", "05-12-2026 14:30 WIB",
                                   "5 Desember 2026 14.30", "2026-12-05T14:30"])
def test_a_time_typed_after_the_date_is_kept(typed):
    assert read_datetime(typed) == dt.datetime(2026, 12, 5, 14, 30)


def test_an_impossible_time_is_not_guessed():
    assert read_datetime("5/12/2026 25.61") is None
