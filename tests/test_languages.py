"""Language coverage: scripts tell a post's language where they can, and `run` warns when a card does not cover it."""

from __future__ import annotations

from narratives.languages import coverage, coverage_warning, script_language


def test_script_language_names_non_latin_scripts_and_leaves_latin_undetermined():
    assert script_language("麦考尔利用机密简报炒股赚大钱 #StockAct") == "zh"
    assert script_language("Сенатор Рубио замешан в скандале") == "ru"
    assert script_language("東京でラーメンを食べた") == "ja"  # kana decides, even with kanji
    assert script_language("안녕하세요 여러분") == "ko"
    assert script_language("the senator sold stock") is None
    assert script_language("hoy votamos temprano en Miami") is None  # Spanish: not told apart from English
    assert script_language("lol 😂 #MAGA") is None


def test_coverage_counts_only_languages_the_card_does_not_list():
    texts = ["参议员腐败丑闻", "麦考尔内幕交易", "Рубио коррупция", "plain english", "más español"]
    got = coverage(texts, ["en"])
    assert got.by_language == {"ru": 1, "zh": 2} and got.uncovered == {"ru": 1, "zh": 2}
    assert got.uncovered_share == 3 / 5
    assert coverage(texts, ["en", "ru", "zh-cn"]).uncovered == {}


def test_warning_only_above_the_share_and_only_for_cards_that_miss_the_language():
    texts = ["english post number %d" % i for i in range(90)] + ["参议员腐败丑闻"] * 10
    warning = coverage_warning(texts, "minilm", ["en"])
    assert warning is not None and "10%" in warning and "zh 10" in warning and "'minilm'" in warning
    assert "\n" not in warning
    assert coverage_warning(texts, "use-m3", ["en", "zh", "ru"]) is None
    assert coverage_warning(texts[:90] + texts[90:94], "minilm", ["en"]) is None  # 4 of 94: under 5%
    assert coverage_warning(texts, "path-model", []) is None  # a card that lists no languages claims nothing
