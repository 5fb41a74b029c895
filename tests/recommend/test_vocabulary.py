"""The term counts the ranking weighs words by: counted once per paper, caught up with new
papers, rebuilt from the papers table when emptied, and re-read by a process when changed."""

from __future__ import annotations

import pytest

from dailypapers.recommend import terms, vocabulary
from dailypapers.recommend.models import TermStatistics
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


def papers_holding(term: str) -> int:
    return int(vocabulary.statistics().counts[terms._bucket(term)])


@pytest.mark.parametrize(("batch", "save_every"), [(2000, 20_000), (1, 1)])
def test_each_paper_counts_once_per_term_and_new_papers_are_caught_up(
    batch: int, save_every: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vocabulary, "COUNT_BATCH", batch)
    monkeypatch.setattr(vocabulary, "SAVE_EVERY", save_every)
    add_paper(title="Graphene graphene everywhere", abstract="Graphene sheets.")
    add_paper(title="Spin waves in graphene", abstract="")
    assert vocabulary.count_new_papers() == 2
    assert (papers_holding("graphene"), papers_holding("spin waves")) == (2, 1)
    assert vocabulary.count_new_papers() == 0  # nothing new: nothing counted twice
    add_paper(title="Spin waves again", abstract="")
    assert vocabulary.count_new_papers() == 1
    assert (papers_holding("spin waves"), vocabulary.statistics().papers) == (2, 3)


def test_the_comment_is_counted_and_a_changed_comment_is_cut_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_paper(title="Dwarf galaxies", abstract="", comment="Accepted to MNRAS, 12 pages")
    vocabulary.count_new_papers()
    assert papers_holding("mnras") == 1
    monkeypatch.setattr(vocabulary, "_counted_papers", type(vocabulary._counted_papers)())
    (before,) = [vocabulary.term_rows([(1, "Dwarf galaxies", "", "Accepted to MNRAS")])]
    (after,) = [vocabulary.term_rows([(1, "Dwarf galaxies", "", "Accepted to ApJ")])]
    assert terms._bucket("mnras") in before.ids.tolist()
    assert terms._bucket("mnras") not in after.ids.tolist()


def test_counts_of_another_cut_of_the_terms_are_counted_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_paper(title="Dwarf galaxies", abstract="", comment="Accepted to MNRAS")
    add_paper(title="Spin waves", abstract="")
    vocabulary.count_new_papers()
    before = vocabulary.statistics().counts.copy()
    monkeypatch.setattr(terms, "VERSION", terms.VERSION + 1)
    monkeypatch.setattr(terms, "term_counts", lambda *parts: {terms._bucket("new"): 1})
    assert vocabulary.count_new_papers() == 2  # every paper, not only new ones
    counts = vocabulary.statistics().counts
    assert (papers_holding("new"), papers_holding("mnras"), int(counts.sum())) == (2, 0, 2)
    row = TermStatistics.objects.get()
    assert (row.terms_version, row.recounting) == (terms.VERSION, False)
    assert vocabulary.count_new_papers() == 0
    assert before[terms._bucket("mnras")] == 1


def test_emptied_statistics_are_rebuilt_from_the_papers(monkeypatch: pytest.MonkeyPatch) -> None:
    add_paper(title="Dwarf galaxies", abstract="Dwarf galaxies of the local group.")
    add_paper(title="Spin waves", abstract="")
    vocabulary.count_new_papers()
    before = vocabulary.statistics().counts.copy()
    TermStatistics.objects.all().delete()
    assert papers_holding("dwarf galaxies") == 0
    monkeypatch.setattr(vocabulary, "SAVE_EVERY", 1)
    monkeypatch.setattr(vocabulary, "COUNT_BATCH", 1)
    assert vocabulary._count_some() == 1
    assert TermStatistics.objects.get().recounting, "not caught up with the newest paper yet"
    assert vocabulary.count_new_papers() == 1
    assert not TermStatistics.objects.get().recounting
    assert (vocabulary.statistics().counts == before).all()


def test_rare_terms_weigh_more_once_counted() -> None:
    for number in range(20):
        add_paper(title=f"Neural networks part {number}", abstract="")
    add_paper(title="Neural skyrmions", abstract="")
    vocabulary.count_new_papers()
    (row,) = [vocabulary.term_rows([(1, "Neural skyrmions", "", "")])]
    weights = dict(zip(row.ids.tolist(), row.weights.tolist(), strict=True))
    assert weights[terms._bucket("skyrmions")] > 2 * weights[terms._bucket("neural")]


def test_a_process_cuts_a_papers_terms_once_while_its_text_is_unchanged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cut: list[str] = []
    counted = terms.counted
    monkeypatch.setattr(terms, "counted", lambda t, *rest: cut.append(t) or counted(t, *rest))
    monkeypatch.setattr(vocabulary, "_counted_papers", type(vocabulary._counted_papers)())
    monkeypatch.setattr(vocabulary, "KEEP_CUT_PAPERS", 2)
    first = vocabulary.term_rows([(1, "Spin waves", "", ""), (2, "Dwarf galaxies", "", "")])
    again = vocabulary.term_rows([(2, "Dwarf galaxies", "", ""), (1, "Spin waves", "", "")])
    assert cut == ["Spin waves", "Dwarf galaxies"]  # the second call cut nothing
    assert again.ids[: again.indptr[1]].tolist() == first.ids[first.indptr[1] :].tolist()
    vocabulary.term_rows([(1, "Spin waves in magnets", "", ""), (3, "Neutron stars", "", "")])
    assert cut[2:] == ["Spin waves in magnets", "Neutron stars"]  # a new text is cut again
    vocabulary.term_rows([(2, "Dwarf galaxies", "", "")])  # the least recently used was dropped
    assert cut[4:] == ["Dwarf galaxies"]
