"""Candidate keywords of a paper: runs of one to three content words from its title and
abstract (KeyBERT's candidates, without a part-of-speech tagger), ranked cheaply so that
only the likeliest few are embedded (docs/summaries.md)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Words that break a candidate: function words and the verbs, adverbs and vague adjectives
# abstracts use around their subject. A keyword never holds one.
STOP_WORDS = frozenset(
    """
    a about above across after again against all almost along already also although always
    am among an and another any are around as at be been before being below between both but
    by can cannot could did do does doing done down during each either else enough especially
    etc even ever every few for from further had has have having he her here hers herself him
    his how however i if in into is it its itself just least less like made make makes making
    many may me might more most much must my neither no nor not now of off often on once one
    only onto or other others our ours out over own per perhaps quite rather same several she
    should since so some such than that the their theirs them themselves then there these they
    this those though through thus to too toward towards under until up upon us use used uses
    using very via was we well were what when where whether which while who whom whose why
    will with within without would yet you your two three four five first second third new
    novel propose proposes present presents show shows shown showed demonstrate demonstrates
    introduce introduces achieve achieves obtain provide provides study investigate
    investigates consider develop describe report find finds approach generate generates
    learn learns ensure ensures term termed called named adapt adapts capture captures
    predict predicts reduce reduces increase increases apply applies combine combines exploit
    exploits extract extracts identify identifies incorporate incorporates integrate
    integrates perform performs produce produces utilize utilizes explore explores analyze
    analyzes analyse design designs leverage leverages enable enables allow allows require
    requires remain remains address addresses improve improves outperform outperforms
    evaluate evaluates compare compares include includes involve involves aim aims lead leads
    yield yields offer offers reveal reveals suggest suggests indicate indicates establish
    establishes derive derives construct constructs employ employs build builds emerge emerges
    various different significant effective efficient existing recent current previous key
    important main large small high low better best good able given general specific
    particular respectively moreover furthermore additionally finally overall therefore hence
    thereby whereas compared extensive strong robust simple promising crucial critical
    essential capable due lack widely wide state-of-the-art sota art whole entire certain
    able many multiple diverse typically usually often generally potential potentially
    play plays think thinks retain retains enhance enhances boost boosts support supports
    exhibit exhibits contain contains become becomes tend tends serve serves focus focuses
    rely relies struggle struggles fail fails help helps need needs seek seeks facilitate
    facilitates mitigate mitigates preserve preserves maintain maintains explain explains
    determine determines affect affects operate operates depend depends occur occurs exist
    exists arise arises appear appears limit limits hinder hinders remain remained achieving
    making taking giving having getting allowing enabling providing improving reducing
    increasing showing proposing introducing presenting leveraging incorporating utilizing
    significantly notably substantially consistently
    """.split()
)
# Vague nouns: inside a phrase ("graph neural network model") but never alone or first.
GENERIC_WORDS = frozenset(
    """
    model models method methods paper papers work works result results problem problems task
    tasks framework frameworks system systems technique techniques strategy strategies way ways
    number numbers set sets performance experiments experiment evaluation improvement
    improvements challenge challenges issue issues ability abilities capability capabilities
    data analysis approaches process setting settings study studies effect effects case cases
    state field level levels type types part parts form forms use role terms order addition
    """.split()
)
# A gerund that names a thing ("deep learning") may end a keyword; other -ing words may not.
NOUN_GERUNDS = frozenset(
    """
    learning training reasoning processing modeling modelling computing engineering planning
    scheduling clustering sampling filtering tracking mapping matching parsing encoding
    decoding pruning tuning fine-tuning pretraining pre-training prompting forecasting
    rendering imaging sensing testing programming mining scaling routing caching hashing
    ranking retrieval understanding reinforcement editing captioning answering segmentation
    labeling labelling annotation fuzzing recycling manufacturing machining welding printing
    computing spectroscopy lensing bonding doping heating cooling cracking wetting coupling
    screening monitoring imprinting signaling signalling binding folding docking
    """.split()
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*|[0-9]+[A-Za-z][A-Za-z0-9-]*")
# Math, TeX commands and URLs say nothing a reader searches for.
_NOISE = re.compile(r"\$[^$]*\$|\\[A-Za-z]+\*?|https?://\S+|\S+@\S+")
# Clause punctuation ends a run of words.
_CLAUSE = re.compile(r"[.,;:!?()\[\]{}\"“”|/]|\s[-–—]\s")
MAX_WORDS = 3
ADJECTIVE_ENDINGS = ("ic", "al", "ive", "ous", "able", "ible", "ful", "less", "ary", "ed", "ing")


@dataclass(frozen=True)
class Candidate:
    text: str
    count: int
    in_title: bool

    @property
    def words(self) -> int:
        return self.text.count(" ") + 1


def candidates(title: str, abstract: str, limit: int = 40) -> list[Candidate]:
    """The `limit` likeliest keyword phrases, best first: frequent ones, ones in the title,
    and longer ones (a two-word term says more than either word)."""
    title_phrases = Counter(_phrases(title))
    found = Counter(_phrases(abstract)) + title_phrases
    shown = _display_forms(title + " . " + abstract)
    ranked = sorted(
        found, key=lambda key: -_prior(found[key], key in title_phrases, key.count(" ") + 1)
    )
    return [Candidate(shown.get(key, key), found[key], key in title_phrases) for key in ranked][
        :limit
    ]


def _prior(count: int, in_title: bool, words: int) -> float:
    return count * (1.0 + 0.5 * (words - 1)) + (2.0 if in_title else 0.0)


def _phrases(text: str) -> list[str]:
    """Every run of one to three content words, lower-cased, in order of appearance."""
    phrases = []
    for chunk in _CLAUSE.split(_NOISE.sub(" . ", text)):
        words = [word.lower() for word in _TOKEN.findall(chunk)]
        run: list[str] = []
        for word in [*words, ""]:
            if word and _is_content(word):
                run.append(word)
                continue
            phrases += _ngrams(run)
            run = []
    return phrases


def _ngrams(run: list[str]) -> list[str]:
    grams = (
        run[start : start + size]
        for size in range(1, MAX_WORDS + 1)
        for start in range(len(run) - size + 1)
    )
    return [" ".join(gram) for gram in grams if _is_keyword(gram)]


def _is_keyword(words: list[str]) -> bool:
    """A phrase that can be a noun phrase: not opening with a vague noun or a verb form,
    not ending on a participle ("guided"), a verb form or an adverb."""
    first, last = words[0], words[-1]
    if first in GENERIC_WORDS or (first.endswith("ing") and first not in NOUN_GERUNDS):
        return False
    if last.endswith(("ed", "ly")) or (last.endswith("ing") and last not in NOUN_GERUNDS):
        return False
    if len(words) == 1 and first.endswith(ADJECTIVE_ENDINGS):
        return False  # "synthetic", "pluggable": a keyword alone is a thing
    return not any(word.endswith("ly") for word in words)


def _is_content(word: str) -> bool:
    return len(word) > 2 and word not in STOP_WORDS and not word.isdigit()


def _display_forms(text: str) -> dict[str, str]:
    """Each phrase as the text wrote it most often ("LLM", "Transformer"), keyed lower-case;
    an all-capital title word is shown as in the abstract."""
    forms: dict[str, Counter[str]] = {}
    for chunk in _CLAUSE.split(_NOISE.sub(" . ", text)):
        words = _TOKEN.findall(chunk)
        for size in range(1, MAX_WORDS + 1):
            for start in range(len(words) - size + 1):
                original = " ".join(words[start : start + size])
                forms.setdefault(original.lower(), Counter())[original] += 1
    return {key: _readable(counter) for key, counter in forms.items()}


def _readable(counter: Counter[str]) -> str:
    def score(form: str) -> tuple[int, int]:
        # Prefer the commonest form; between equals, the one that is not Title Case.
        title_case = all(word[:1].isupper() and word[1:].islower() for word in form.split())
        return counter[form], 0 if title_case else 1

    best = max(counter, key=score)
    if best.isupper() and len(best) > 6:  # a SHOUTED title
        return best.lower()
    return best
