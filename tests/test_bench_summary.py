"""The bench summary reads each bench's figures from the bench itself (not from its printed text),
so a reworded line can never turn a figure into a dash."""
from bench import run_all


def test_the_summary_gets_the_evaluation_and_sign_in_figures_from_the_benches(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the evaluation bench keeps its store in the temp dir
    ev, text = run_all.run("bench_evaluation", ["--cases", "120", "--executors", "9"], timeout=600)
    assert "error" not in ev, text
    assert ev["pages"] >= 3 and ev["report_s"] > 0 and ev["report_warm_s"] > 0
    assert 50 < ev["peak_rss_mb"] < 4000 and ev["tracemalloc_peak_mb"] > 0
    assert "yearly evaluation PDF" in text and list(tmp_path.glob("sop-bench-evaluation-120-9-s*.duckdb"))

    sign_in, _ = run_all.run("bench_sign_in", ["--rounds", "2"], timeout=300)
    assert sign_in["hash_ms"] > 1 and sign_in["sign_in_ms"] > 1


def test_a_failing_bench_is_an_error_row_not_a_crash():
    figures, text = run_all.run("bench_sign_in", ["--rounds", "not-a-number"], timeout=120)
    assert "error" in figures and "invalid int value" in text
