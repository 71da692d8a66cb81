"""Posts in other scripts: candidate names in Chinese and Russian link (registry-wide, case forms, real Russian
tweets of the IRA sample) and Chinese and Russian narratives are matched to the right taxonomy entry."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import shared_data

from narratives.candidates import load_registry
from narratives.demo import generate
from narratives.embed import Embedder
from narratives.taxonomy import load_taxonomy, match_taxonomy, taxonomy_vectors
from narratives.modelcards import load_card
from narratives.targets import Linker, post_targets
from narratives.text import normalize_text

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(load_registry())


def test_every_name_in_another_script_links_its_candidate(linker):
    """Each `scripts` surface of the registry, inside an ordinary sentence of its script, links its candidate."""
    registry = load_registry()
    checked = 0
    for cid in registry.ids:
        for surface in registry[cid].scripts:
            sentences = ([f"{surface}说", f"今天{surface}又发推文了。"] if CJK.search(surface)
                         else [f"{surface} заявил", f"Вчера {surface} снова написал в твиттере."])
            for text in sentences:
                assert cid in post_targets(linker.link(text)), (cid, text)
            checked += 1
    assert checked >= 100


@pytest.mark.parametrize("text, expected", [
    ("Мадуро просит Обаму снять санкции", ["barack_obama"]),    # accusative of an -а name
    ("Петиция против Обамы", ["barack_obama"]),                 # genitive
    ("Камалу Харрис выдвинули", ["kamala_harris"]),
    ("Встреча с Трампом и Байденом", ["donald_trump", "joe_biden"]),
    ("о Трампе", ["donald_trump"]),                             # prepositional of a consonant stem
    ("Мура в Алабаме поддержали", []),                          # 摩尔/Мур = any Moore: needs context
    ("Трамвай опоздал", []),                                    # a word that starts like a name
])
def test_russian_case_forms_link(linker, text, expected):
    assert post_targets(linker.link(text)) == expected


def test_real_russian_tweets_link_the_candidates_they_name(linker):
    """IRA 2016 sample, Russian tweets that name Trump, Clinton or Obama in any case form: at least 95% link
    (measured with these patterns: Trump 472 of 472, Clinton 214 of 214, Obama 168 of 168; Obama 152 of 168 before
    the linker swapped the -а of a name for its case ending: Обаму did not link)."""
    import pandas as pd

    df = pd.read_csv(shared_data("ira/ira_2016_sample200k.csv.gz"), usecols=["content", "language"], dtype=str)
    russian = df.loc[df["language"] == "Russian", "content"].dropna()
    for cid, pattern in (("donald_trump", r"\bТрамп(?:а|у|ом|е)?\b"), ("hillary_clinton", r"\bКлинтон|\bХиллари"),
                         ("barack_obama", r"\bОбам(?:а|ы|е|у|ой)\b")):
        texts = russian[russian.str.contains(pattern)]
        assert len(texts) >= 100, cid
        linked = np.mean([cid in post_targets(linker.link(t)) for t in texts])
        assert linked >= 0.95, (cid, linked)


@pytest.mark.slow
@pytest.mark.parametrize("card_id", ["use-m3", "use-m3-onnx"])
def test_chinese_and_russian_narratives_are_nearest_their_taxonomy_entry(card_id):
    """Demo: the centroid of a gold narrative's Chinese (or Russian) posts alone is nearest its own taxonomy
    entry (English descriptions and examples), and each language's organic posts are named nothing. The score
    of a translation is lower than an English centroid's (0.47-0.60 on the demo against the card's taxonomy
    threshold 0.54-0.56), so a narrative written only in Russian can stay unnamed; in a run, translated posts
    fold into their English narrative (`cross_lingual`), whose centroid is what gets named."""
    card = load_card(card_id)
    embedder = Embedder(card, device="cpu")
    taxonomy = load_taxonomy()
    entries = taxonomy_vectors(taxonomy, embedder.encode)
    posts = generate(7)
    named_any = 0
    for lang in ("zh", "ru"):
        groups: dict[str, set[str]] = {}
        for p in posts:
            if p["lang"] == lang:
                groups.setdefault(p["narrative"], set()).add(normalize_text(p["text"]))
        narratives = sorted(set(groups) - {"none"})
        assert len(narratives) >= 4, lang

        def centroid(texts: set[str]) -> np.ndarray:
            v = embedder.encode(sorted(texts)).mean(axis=0)
            return v / np.linalg.norm(v)

        cents = np.array([centroid(groups[n]) for n in narratives])
        best = match_taxonomy(cents, entries, taxonomy.ids, threshold=-1)
        assert [entry for entry, _ in best] == narratives, (lang, best)
        named = match_taxonomy(cents, entries, taxonomy.ids, threshold=card.thresholds.taxonomy)
        named_any += sum(entry is not None for entry, _ in named)
        assert all(entry in (None, n) for (entry, _), n in zip(named, narratives))
        (organic,) = match_taxonomy(centroid(groups["none"])[None], entries, taxonomy.ids,
                                    threshold=card.thresholds.taxonomy)
        assert organic[0] is None, (lang, organic)
    assert named_any >= 4  # most Chinese narratives clear the threshold on their own
