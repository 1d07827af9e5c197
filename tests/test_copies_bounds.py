"""checks.copies' fast paths against their slow definitions, on generated paragraphs:
the candidates' gate (length window, character masks) and the early-stopping
``SequenceMatcher`` decision."""
from __future__ import annotations

import random
from difflib import SequenceMatcher

from ingest.checks import copies, copies_shingles

ALPHABET = "的医保基金局年度工作开展情况按照要求完成制度管理服务监督检查经办待遇支付，。、"


def _paragraph(rng: random.Random, size: int) -> str:
    text = "".join(rng.choice(ALPHABET[:rng.randrange(12, len(ALPHABET))]) for _ in range(size))
    for _ in range(rng.randrange(0, 3)):
        at = rng.randrange(len(text))
        text = text[:at] + f"{rng.choice((2021, 2022, 2023))}年" + text[at:]
    return text


def _edited(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randrange(0, max(1, len(chars) // 6))):
        at = rng.randrange(len(chars))
        roll = rng.random()
        if roll < 0.4:
            chars[at] = rng.choice(ALPHABET)
        elif roll < 0.7:
            del chars[at]
        else:
            chars.insert(at, rng.choice(ALPHABET))
    return "".join(chars)


def _slow_any(added: list[tuple[str, str]], key: str, text: str) -> bool:
    """The gate's definition: an earlier long paragraph of other years whose
    difflib bound reaches SIMILAR."""
    years = copies._years(text)
    return any(copies._years(other_text) != years and copies._ratio_bound(other, key, {}) >= copies.SIMILAR
               for other, other_text in added)


def test_the_length_window_is_the_length_bound():
    def bound(n, size):
        return 2.0 * min(n, size) / (n + size) >= copies.SIMILAR
    for size in range(1, 400):
        low, high = copies._window(size)
        assert all((low <= n <= high) == bound(n, size) for n in range(1, 700)), size
    for size in range(400, 20000):   # longer paragraphs: at the window's edges
        low, high = copies._window(size)
        assert bound(low, size) and bound(high, size) and not bound(low - 1, size) and not bound(high + 1, size)


def test_the_candidates_gate_is_the_ratio_bound():
    rng = random.Random(7)
    outcomes = set()
    for _ in range(300):
        close, added, chars = copies._Candidates(), [], {}
        base = _paragraph(rng, rng.randrange(90, 260))
        for _ in range(rng.randrange(1, 12)):
            text = _edited(rng, base) if rng.random() < 0.6 else _paragraph(rng, rng.randrange(60, 300))
            key = copies._key(text)
            probe = close.probe(key, text)
            fast = close.any(probe, chars)
            assert fast == _slow_any(added, key, text)
            outcomes.add(fast)
            close.add(probe)
            added.append((key, text))
    assert outcomes == {True, False}


def test_the_candidates_gate_at_its_edge():
    """Keys of distinct characters sharing about 80 % of them: the set bound is then
    the ratio bound, and one character either way decides."""
    rng = random.Random(5)
    cjk = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    for n in range(90, 200, 19):
        for other in range(n * 2 // 3, n * 3 // 2 + 2, 13):
            for common in range(int(0.8 * min(n, other)) - 2, min(n, other) + 1):
                chars = rng.sample(cjk, n + other - common)
                key, other_key = "".join(chars[:n]), "".join(chars[n - common:])
                close = copies._Candidates()
                close.add(close.probe(other_key, other_key + "2022年"))
                fast = close.any(close.probe(key, key + "2023年"), {})
                assert fast == _slow_any([(other_key, other_key + "2022年")], key, key + "2023年")


def test_the_early_stopping_decision_is_ratios():
    rng = random.Random(11)
    outcomes = set()
    for _ in range(600):
        a = _paragraph(rng, rng.randrange(60, 320))
        b = _edited(rng, a) if rng.random() < 0.8 else _paragraph(rng, rng.randrange(60, 320))
        matcher = SequenceMatcher(None, a, b)
        slow = SequenceMatcher(None, a, b).ratio() >= copies.SIMILAR
        assert copies._ratio_reaches(matcher, copies.SIMILAR) == slow, (a, b)
        outcomes.add(slow)
    assert outcomes == {True, False}


def test_the_shingle_index_holds_each_occurrence_in_order():
    rng = random.Random(13)
    for _ in range(200):
        shingles, slow = {}, {}
        for n in range(rng.randrange(1, 8)):
            text = _paragraph(rng, rng.randrange(20, 120))
            text = text + text[:rng.randrange(0, 30)]   # shingles printed again at its end
            grams = copies._grams(text)
            copies_shingles._index(shingles, grams, n)
            for gram in grams:
                slow.setdefault(gram, []).append(n)
        assert {gram: list(held) for gram, held in shingles.items()} == slow


def test_the_bucket_mask_is_the_set_of_low_bytes():
    """copies._buckets (C-level, via bytes.maketrans) against its definition: bit 8·b
    for every bucket b (a code point's low byte) one of the key's characters is in;
    bucket 0 (一, U+4E00), astral characters and lone surrogates included."""
    rng = random.Random(3)
    ranges = [(0, 0x80), (0x4E00, 0x4E00 + 600), (0xD800, 0xE000), (0x10000, 0x110000), (0, 0x110000)]
    for _ in range(5000):
        text = "".join(chr(rng.randrange(*rng.choice(ranges))) for _ in range(rng.randrange(0, 80)))
        assert copies._buckets(text) == sum(1 << 8 * b for b in {ord(c) & 0xFF for c in text}), text
    assert copies._buckets("") == 0 and copies._buckets("一") == 1 and copies._buckets("丁") == 1 << 8


def test_the_bucket_bound_is_at_least_the_ratio_bound():
    """The gate's bucket bound can only pass more pairs than difflib's quick_ratio:
    never below it, on related and unrelated keys (so any() is quick_ratio's)."""
    rng = random.Random(19)
    for _ in range(3000):
        a = _paragraph(rng, rng.randrange(60, 260))
        b = _edited(rng, a) if rng.random() < 0.5 else _paragraph(rng, rng.randrange(60, 260))
        ma, mb = copies._buckets(a), copies._buckets(b)
        shared = (ma & mb).bit_count() + min(len(a) - ma.bit_count(), len(b) - mb.bit_count())
        assert 2.0 * shared / (len(a) + len(b)) >= SequenceMatcher(None, a, b).quick_ratio() - 1e-12


def _slow_ranked(keys: list[str], key: str) -> list[int]:
    """_similar's candidates as first defined: an index of every earlier key's shingles,
    Counter-ed over the key's shingles, most_common(3) down to the first count under 5."""
    from collections import Counter
    index: dict[str, list[int]] = {}
    for n, other in enumerate(keys):
        for gram in copies._grams(other):
            index.setdefault(gram, []).append(n)
    shared = Counter(n for gram in copies._grams(key) for n in index.get(gram, ()))
    out = []
    for n, count in shared.most_common(3):
        if count < 5:
            break
        out.append(n)
    return out


def _periodic(rng: random.Random) -> str:
    unit = "".join(rng.choice("医保基金年") for _ in range(rng.randrange(1, 4)))
    return unit * rng.randrange(3, 12)   # shingles overlapping themselves


def test_the_candidates_searched_and_indexed_are_the_definition():
    """Shingles.ranked, by str.find over the joined keys (its first RESCANS questions)
    and by the index after: the candidates and their order of the definition, with
    ties (most_common's first met), shingles printed twice and overlapping runs."""
    from ingest.checks.copies_shingles import RESCANS, Shingles
    rng = random.Random(29)
    outcomes = set()
    for _ in range(300):
        keys: list[str] = []
        shingles = Shingles(keys)
        base = _paragraph(rng, rng.randrange(40, 160))
        for _ in range(rng.randrange(1, 3 * RESCANS)):
            roll = rng.random()
            key = (_edited(rng, base) if roll < 0.5 else _periodic(rng) + _periodic(rng) if roll < 0.7
                   else _paragraph(rng, rng.randrange(20, 160)))
            grams = copies._grams(key)
            if rng.random() < 0.5:
                ranked = shingles.ranked(grams)
                assert ranked == _slow_ranked(keys, key), (keys, key)
                outcomes.add(len(ranked))
            if rng.random() < 0.3:
                shingles.keep(len(keys), grams)
            keys.append(key)
    assert outcomes >= {0, 1, 2, 3}
