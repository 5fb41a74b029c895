"""The reads bench/reads.py measures: for each, random URLs drawn from the data (days, weeks
and months weighted by their papers, random papers, their first authors, words of their titles)
and the one fixed URL wrk requests."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode

SAMPLE = 2_000  # papers drawn for paper pages, authors and search words
DEEP_PAGES = (100, 1000)  # /api/daily_papers?p= at 50 a page: 5,000 to 50,000 papers deep
FIXED_DEEP_PAGE = 500
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]{3,}")
COMMON = frozenset(
    "with from that this using based via towards toward their into over under learning model "
    "models large language data approach method methods analysis study network networks".split()
)


@dataclass
class Read:
    name: str
    pick: Callable[[], str]  # the next random URL
    fixed: str  # the URL wrk requests


@dataclass
class Sample:
    days: list[date]
    weights: list[int]
    latest: date
    busiest_month: date
    papers: list[tuple[str, str]]  # (arxiv id, first author)
    queries: list[str]
    submitters: list[str]
    categories: list[str]
    commented: str  # the fixed paper: the one with the most comments
    prolific: str  # of the sampled papers' first authors, the one with the most papers


def reads_of(seed: int) -> list[Read]:
    from dailypapers.papers.periods import month_period, week_period

    rng = random.Random(seed)
    data = sample(rng)

    def day() -> date:
        return rng.choices(data.days, data.weights)[0]

    def paper() -> str:
        return rng.choice(data.papers)[0]

    def author() -> str:
        return quote(rng.choice(data.papers)[1])

    def query() -> str:
        return urlencode({"q": rng.choice(data.queries)})

    def week(when: date) -> str:
        return week_period(when).slug

    def month(when: date) -> str:
        return month_period(when).slug

    fixed_author = quote(dict(data.papers).get(data.commented) or data.papers[0][1])
    fixed_query = urlencode({"q": data.queries[0]})
    latest, busiest = data.latest, data.busiest_month
    category = "cs.CL" if "cs.CL" in data.categories else data.categories[0]
    api = "/api/daily_papers"
    reads = [
        Read("home /", lambda: "/", "/"),
        Read("day page /date/", lambda: f"/date/{day()}", f"/date/{latest}"),
        Read("week page /week/", lambda: f"/week/{week(day())}", f"/week/{week(latest)}"),
        Read("month page /month/", lambda: f"/month/{month(day())}", f"/month/{month(busiest)}"),
        Read("trending /trending", lambda: "/trending", "/trending"),
        Read("paper page /papers/<id>", lambda: f"/papers/{paper()}", f"/papers/{data.commented}"),
        Read(
            "author page /authors/<name>",
            lambda: f"/authors/{author()}",
            f"/authors/{fixed_author}",
        ),
        Read(
            "author page, most papers",
            lambda: f"/authors/{quote(data.prolific)}",
            f"/authors/{quote(data.prolific)}",
        ),
        Read("search page /search?q=", lambda: f"/search?{query()}", f"/search?{fixed_query}"),
        Read(f"{api}", lambda: api, api),
        Read(f"{api}?date=", lambda: f"{api}?date={day()}", f"{api}?date={latest}"),
        Read(f"{api}?week=", lambda: f"{api}?week={week(day())}", f"{api}?week={week(latest)}"),
        Read(
            f"{api}?month=",
            lambda: f"{api}?month={month(day())}",
            f"{api}?month={month(busiest)}",
        ),
        Read(f"{api}?sort=trending", lambda: f"{api}?sort=trending", f"{api}?sort=trending"),
        Read(
            f"{api}?submitter=",
            lambda: f"{api}?submitter={rng.choice(data.submitters)}",
            f"{api}?submitter={data.submitters[0]}",
        ),
        Read(
            f"{api}?p= (deep, {DEEP_PAGES[0]}-{DEEP_PAGES[1]})",
            lambda: f"{api}?p={rng.randint(*DEEP_PAGES)}",
            f"{api}?p={FIXED_DEEP_PAGE}",
        ),
        Read("/api/papers/<id>", lambda: f"/api/papers/{paper()}", f"/api/papers/{data.commented}"),
        Read(
            "/api/papers/search?q=",
            lambda: f"/api/papers/search?{query()}",
            f"/api/papers/search?{fixed_query}",
        ),
        Read("/papers/<id>.md", lambda: f"/papers/{paper()}.md", f"/papers/{data.commented}.md"),
    ]
    feeds: list[tuple[str, Callable[[], str], str]] = [
        ("latest", lambda: "latest", "latest"),
        ("date/<day>", lambda: f"date/{day()}", f"date/{latest}"),
        ("week/<week>", lambda: f"week/{week(day())}", f"week/{week(latest)}"),
        ("month/<month>", lambda: f"month/{month(day())}", f"month/{month(busiest)}"),
        ("trending", lambda: "trending", "trending"),
        (
            "categories/<category>",
            lambda: f"categories/{rng.choice(data.categories)}",
            f"categories/{category}",
        ),
    ]
    for kind in ("rss", "atom"):
        for name, path, fixed in feeds:
            reads.append(
                Read(
                    f"/feeds/{name}.{kind}",
                    lambda path=path, kind=kind: f"/feeds/{path()}.{kind}",  # type: ignore[misc]
                    f"/feeds/{fixed}.{kind}",
                )
            )
        reads.append(
            Read(
                f"/feeds/search.{kind}?q=",
                lambda kind=kind: f"/feeds/search.{kind}?{query()}",  # type: ignore[misc]
                f"/feeds/search.{kind}?{fixed_query}",
            )
        )
    return reads


def sample(rng: random.Random) -> Sample:
    from django.db.models import Count, Max

    from dailypapers.community.models import Comment
    from dailypapers.papers.models import DailyEntry, Paper, PaperAuthor

    per_day = list(DailyEntry.objects.values_list("day").annotate(n=Count("id")).order_by("day"))
    per_month: Counter[date] = Counter()
    for day, n in per_day:
        per_month[day.replace(day=1)] += n
    top = Paper.objects.aggregate(top=Max("id"))["top"]
    ids = rng.sample(range(1, top + 1), min(SAMPLE, top))
    rows = Paper.objects.filter(id__in=ids, is_hidden=False).values_list(
        "id", "arxiv_id", "title", "primary_category"
    )
    first = dict(
        PaperAuthor.objects.filter(paper_id__in=ids, position=0).values_list("paper_id", "name")
    )
    papers = [(arxiv_id, first[pk]) for pk, arxiv_id, _, _ in rows if pk in first]
    rng.shuffle(papers)
    commented = (
        Comment.objects.values("paper__arxiv_id").annotate(n=Count("id")).order_by("-n").first()
    )
    submitters = DailyEntry.objects.exclude(submitter_name="").values_list("submitter_name")
    names = sorted({name for _, name in papers})  # each counted off the name's index
    by_name = PaperAuthor.objects.filter(name__in=names).values_list("name")
    prolific = max(by_name.annotate(n=Count("id")).order_by(), key=lambda row: row[1])[0]
    return Sample(
        days=[day for day, _ in per_day],
        weights=[n for _, n in per_day],
        latest=per_day[-1][0],
        busiest_month=per_month.most_common(1)[0][0],
        papers=papers,
        queries=_queries(rng, [title for _, _, title, _ in rows]),
        submitters=sorted({name for (name,) in submitters.distinct()[:100]}),
        categories=[cat for *_, cat in rows if cat],  # repeats: weighted by papers
        commented=commented["paper__arxiv_id"] if commented else papers[0][0],
        prolific=prolific,
    )


def _queries(rng: random.Random, titles: list[str]) -> list[str]:
    """Two or three uncommon words of a title, as bench/search.py's keyword queries."""
    queries = []
    for title in titles:
        words = [word for word in _WORD.findall(title) if word.lower() not in COMMON]
        if len(words) >= 2:
            queries.append(" ".join(rng.sample(words, min(len(words), rng.choice((2, 3))))))
    return list(dict.fromkeys(queries))
