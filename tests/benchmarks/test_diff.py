"""Comparing two benchmarks: what the summary says and the word-by-word difference."""

from tracker.benchmarks.content import Benchmark, ExampleText, FactorText, QuestionText
from tracker.benchmarks.diff import compare, word_diff


def factor(key, title, *questions, examples=(), id=None):
    return FactorText(
        key=key,
        title=title,
        statement=f"{title}.",
        guide_questions=tuple(QuestionText(text, kind, qid) for qid, text, kind in questions),
        examples=examples,
        id=id,
    )


OLD = Benchmark(
    (
        factor("a", "Jobs desk in Gdańsk", (1, "Is there a desk?", "scale"), id=1),
        factor("b", "Fair hiring", (2, "Are CVs anonymous?", "scale"), id=2),
        factor("c", "Hotline", (3, "Is there a hotline?", "scale"), id=3),
    )
).renumbered()


def test_the_summary_counts_each_kind_of_change(app):
    new = Benchmark(
        (
            factor("b", "Fair hiring in Rīga", (2, "Are CVs read without names?", "open"), id=2),
            factor("a", "Jobs desk in Gdańsk", (1, "Is there a desk?", "scale"), id=1),
            factor("d", "Mentoring", (None, "Who mentors?", "open")),
        )
    ).renumbered()
    with app.test_request_context():
        difference = compare(OLD, new)
        assert [f.key for f in difference.added] == ["d"]
        assert [f.key for f in difference.retired] == ["c"]
        (change,) = difference.changed
        assert [text.name for text in change.texts] == ["title", "statement"]
        assert change.questions_changed[0].new.kind == "open"
        assert difference.reordered
        assert difference.summary() == (
            "1 factor added, 1 reworded, 1 retired, guide questions changed on 1 factor, "
            "factors reordered"
        )
        assert compare(OLD, OLD).summary() == "no change" and compare(OLD, OLD).is_empty


def test_a_summary_without_additions_names_the_factors(app):
    new = Benchmark((OLD.factors[0], OLD.factors[1])).renumbered()
    example = ExampleText(city="Łódź", title="Job club", summary="Weekly.", id=9)
    with_example = Benchmark(
        (
            FactorText(**{**OLD.factors[0].__dict__, "examples": (example,)}),
            *OLD.factors[1:],
        )
    ).renumbered()
    with app.test_request_context():
        assert compare(OLD, new).summary() == "1 factor retired"
        assert compare(OLD, with_example).summary() == "examples changed on 1 factor"


def test_a_reworded_text_is_shown_word_by_word():
    segments = word_diff("Newcomers hear of vacancies.", "Newcomers hear of every vacancy.")
    assert [(s.op, s.text) for s in segments] == [
        ("=", "Newcomers hear of "),
        ("-", "vacancies."),
        ("+", "every vacancy."),
    ]


def test_the_json_of_a_benchmark_reads_back_the_same():
    assert Benchmark.from_json(OLD.to_json()) == OLD
