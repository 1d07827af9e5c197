"""completeness._toc_entries bares the body's lines in one substitution over them
joined: the same as line by line (its pattern matches no newline)."""
from __future__ import annotations

import random

from ingest.checks.completeness import _bare
from ingest.text import normalize_label


def test_bare_over_joined_lines_is_bare_per_line():
    rng = random.Random(19)
    pieces = ["2023年", "2023年度", "19", "20", "年", "度", "“", "”", '"', "'", "(", ")", "（", "）",
              "医保", "局", " ", "\u3000", "１９９９年", "A"]
    for _ in range(3000):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))
                 for _ in range(rng.randrange(0, 6))]
        normal = [normalize_label(line) for line in lines]
        assert _bare("\n".join(normal)).split("\n") == ([_bare(n) for n in normal] or [""])
