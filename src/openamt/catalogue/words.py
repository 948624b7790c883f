"""German words of the catalogue: tokens, stems, stop words and compounds.

Compounds are split against the catalogue's own vocabulary, not a dictionary
(the words of service names and search terms; for queries also the words of
the Land's synonyms): a part counts when the catalogue uses it as a word.
"""

import re
from collections import Counter
from functools import cache

import snowballstemmer

from openamt.core.text import fold

_WORD = re.compile(r"[a-z0-9]+")
# Words that carry no meaning for finding a service (dropped from queries and documents).
STOP_WORDS = frozenset(
    [
        "ab",
        "als",
        "am",
        "an",
        "auf",
        "aus",
        "bei",
        "beim",
        "bis",
        "bitte",
        "brauche",
        "da",
        "das",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "du",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "es",
        "fuer",
        "fur",
        "geht",
        "gibt",
        "habe",
        "hat",
        "ich",
        "ihr",
        "im",
        "in",
        "ist",
        "kann",
        "man",
        "mein",
        "meine",
        "meinem",
        "meinen",
        "meiner",
        "mich",
        "mir",
        "mit",
        "moechte",
        "mochte",
        "muss",
        "nach",
        "neue",
        "neuem",
        "neuen",
        "neuer",
        "neues",
        "oder",
        "per",
        "sich",
        "sie",
        "sind",
        "soll",
        "ueber",
        "uber",
        "um",
        "und",
        "uns",
        "unser",
        "unsere",
        "vom",
        "von",
        "was",
        "welche",
        "wegen",
        "wer",
        "wie",
        "will",
        "wo",
        "zu",
        "zum",
        "zur",
    ]
)
MIN_PART = 3  # letters of the shortest compound part ("Kfz", "Bau")
MIN_TAIL = 5  # letters of a shared tail (see shared_tails)
MIN_COVERAGE = 0.6  # share of a compound's letters its known leading parts must cover
DERIVATIONS = ("bar", "chaft", "heit", "ig", "isch", "keit", "lich", "sam", "schaft", "ung")
LINKS = ("", "s", "es", "n", "en", "e", "er")  # Fugenelemente between compound parts
_stemmer = snowballstemmer.stemmer("german")

Phrase = tuple[str, ...]  # words that must all match


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@cache
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def split_compound(
    word: str, known: dict[str, int], *, tails: frozenset[str] = frozenset()
) -> Phrase | None:
    """The parts of a compound that are known words: at least two, each of at
    least MIN_PART letters, Fugenelemente allowed between them and an ending
    after the last ("Müllgebühren" → "Müll", "Gebühr"). The last part may also
    be one of `tails` ("Eheurkunde" → "Ehe", "Urkunde"). Prefers fewer letters
    in tails, then fewer parts, then the split whose rarest known part is most common;
    None if there is none."""
    size = len(word)

    def rank(parts: Phrase) -> tuple[int, int, int]:
        unknown = sum(len(p) for p in parts if p not in known)
        return (unknown, len(parts), -min((known[p] for p in parts if p in known), default=0))

    @cache
    def best(start: int) -> Phrase | None:
        if start == size:
            return ()
        found: Phrase | None = (word[start:],) if start and word[start:] in tails else None
        for end in range(size if start else size - 1, start + MIN_PART - 1, -1):
            part = word[start:end]
            if part not in known or part in STOP_WORDS:
                continue
            for link in LINKS:
                rest = best(end + len(link)) if word.startswith(link, end) else None
                if rest is not None and (found is None or rank((part, *rest)) < rank(found)):
                    found = (part, *rest)
        return found

    parts = best(0)
    return parts if parts and len(parts) > 1 else None


def shared_tails(known: dict[str, int]) -> frozenset[str]:
    """Unknown words that end at least two known compounds after a known first
    part ("Urkunde" from "Eheurkunde" and "Geburtsurkunde"): words of their own
    that the catalogue only writes inside compounds. A derivational suffix
    ("-liche") is no tail."""
    counted: Counter[str] = Counter()
    for word in known:
        for cut in range(MIN_PART, len(word) - MIN_TAIL + 1):
            head, tail = word[:cut], word[cut:]
            if tail in known or head in STOP_WORDS or tail.startswith(DERIVATIONS):
                continue
            if any(
                head.endswith(link) and head[: len(head) - len(link)] in known for link in LINKS
            ):
                counted[tail] += 1
    return frozenset(tail for tail, count in counted.items() if count > 1)


def split_leading(word: str, known: dict[str, int]) -> Phrase | None:
    """The known parts at the start of a compound whose end is unknown
    ("Kinderkrippenplatz" → "Kinder", "Krippe" when "Platz" is not a catalogue
    word), if they make up at least MIN_COVERAGE of its letters."""
    for cut in range(len(word) - MIN_PART, round(len(word) * MIN_COVERAGE) - 1, -1):
        for link in LINKS:
            head = word[: cut - len(link)]
            if not word.startswith(link, len(head)) or len(head) < MIN_PART:
                continue
            parts: Phrase | None = (head,) if head in known and head not in STOP_WORDS else None
            parts = parts or split_compound(head, known)
            if parts:
                return parts
    return None
