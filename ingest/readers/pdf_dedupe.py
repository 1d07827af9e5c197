"""pdfplumber's ``dedupe_chars`` (fake bold: the same character printed twice a
fraction of a point apart), computed with the same clusters and the same
survivors, for the characters pypdfium2 read (:mod:`ingest.readers.pdf_objects`).

pdfplumber's version sorts the characters by (upright, text, font name, size),
then clusters each group by ``doctop`` and each of those by ``x0`` through its
generic ``cluster_objects`` (a dict of clusters, a sort and a ``groupby`` per
cluster, an ``itemgetter`` call per value), and keeps the first character of
each cluster by (``doctop``, ``x0``); ~9 % of reading a PDF. Here the groups are
one dict pass, a character alone in its group is kept without clustering, and
the clusters are the same chains (sorted distinct values, a new cluster where
the gap exceeds the tolerance). Ties go to the character printed first, as
pdfplumber's stable sorts give them; the survivors keep the page's order.
``tests/test_pdf_dedupe.py`` compares the two on generated pages.
"""
from __future__ import annotations


def unique_chars(chars: list[dict], tolerance: float = 1.0) -> list[dict]:
    """``pdfplumber.utils.dedupe_chars(chars, tolerance)`` (its default extra
    attributes: font name and size), the survivors in ``chars``' order."""
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(chars):
        groups.setdefault((c["upright"], c["text"], c["fontname"], c["size"]), []).append(i)
    keep: list[int] = []
    doctop = x0 = None
    for members in groups.values():
        if len(members) == 1:
            keep.append(members[0])
            continue
        if doctop is None:
            doctop = [c["doctop"] for c in chars]
            x0 = [c["x0"] for c in chars]
        for line in clusters(members, doctop.__getitem__, tolerance):
            for cluster in clusters(line, x0.__getitem__, tolerance):
                keep.append(cluster[0] if len(cluster) == 1 else
                            min(cluster, key=lambda i: (doctop[i], x0[i], i)))
    keep.sort()
    return [chars[i] for i in keep]


def clusters(items: list, key, tolerance: float) -> list[list]:
    """``pdfplumber.utils.cluster_objects(items, key, tolerance)``: the sorted
    distinct values of ``key`` chained (a gap over ``tolerance`` starts a new
    cluster), clusters in value order, each one's items in their order in
    ``items``."""
    if len(items) == 1:
        return [items]
    distinct = sorted(set(map(key, items)))
    if len(distinct) == 1:
        return [items]
    cluster_of, k, last = {}, 0, distinct[0]
    for v in distinct:
        if v > last + tolerance:
            k += 1
        cluster_of[v] = k
        last = v
    out: list[list] = [[] for _ in range(k + 1)]
    for item in items:
        out[cluster_of[key(item)]].append(item)
    return out
