"""Measure how fast ``icd10cm.search`` answers, and how long its first search takes.

    python benchmarks/bench_search.py                    # 1,000 queries on FY2023
    python benchmarks/bench_search.py --release 2020     # another release with an index
    python benchmarks/bench_search.py --strict           # exit 1 if a target is missed

This is a script, not a test: timings depend on the machine. Everything runs in
this one process, on one core.

(a) The first search on a loaded release: it reads the bundled search corpora
    (the index, the External Cause Index, titles and inclusion terms, and their
    word lists) and selects the release's rows. Each round starts from
    ``icd10cm.clear_cache()`` and a reloaded release (not timed); the figure is the
    median over COLD_ROUNDS rounds.
(b) QUERIES varied queries on the loaded release, drawn with
    ``random.Random(2025)``: half from real index terms (2 to 4 words of a term's
    path from its main term), half from real code titles (2 to 4 words of a
    title), each varied: words shuffled, a word put in the plural, upper case,
    linking words added, or accents dropped. Each query is timed once, in order,
    with no warm-up pass: per-word caches help only queries that share words, as
    real ones do. The figure is the median; also reported: the 95th percentile.
(c) The same on the latest release, which has no index or Tabular List of its
    own and searches the nearest releases' (the FY2023 Alphabetic Index, the
    April 2026 External Cause Index and inclusion terms).
(d) ``icd10cm.index_lookup`` walking WALKS paths of real terms (drawn with the
    same seed, each step as the index prints its title without modifiers), with
    ``release=`` the loaded release, side by side with the reference: a plain
    nested dict of the same index built here (each term under the same keys that
    ``index_lookup`` accepts: its printed text, its title without modifiers and its
    text without ``<nemod>``, case, accents and spacing folded), walked by folding
    each step the same way. Both run in alternating chunks of 50 paths, ROUNDS
    times; the figure is the median of the chunks' time ratios.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import unicodedata
from typing import TYPE_CHECKING

import icd10cm
from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script

if TYPE_CHECKING:
    from icd10cm.index.corpus import IndexView

QUERY_TARGET_MS = 5.0
LOAD_TARGET_MS = 300.0
WALK_TARGET_RATIO = 1.5  # index_lookup over a plain dict walk of the same index
SEED = 2025
_LINKING = ("of", "the", "with", "and")


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))


def _vary(words: list[str], rng: random.Random) -> str:
    words = list(words)
    kind = rng.randrange(5)
    if kind == 0:
        rng.shuffle(words)
    elif kind == 1:
        at = rng.randrange(len(words))
        words[at] = words[at] + ("es" if words[at].endswith(("s", "x")) else "s")
    elif kind == 2:
        words = [w.upper() for w in words]
    elif kind == 3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(_LINKING))
    else:
        words = [_strip_accents(w) for w in words]
    return " ".join(words)


def _pick(text: str, rng: random.Random) -> list[str] | None:
    words = [w.strip(",()[]") for w in text.split()]
    words = [w for w in words if len(w) > 2 and w.lower() not in _LINKING]
    if len(words) < 2:
        return None
    count = rng.randint(2, min(4, len(words)))
    start = rng.randrange(len(words) - count + 1)
    return words[start:start + count]


def queries(release: icd10cm.Release, count: int) -> list[str]:
    """*count* deterministic, varied queries from the release's index terms and titles."""
    from icd10cm.index.corpus import IndexView, release_corpus

    rng = random.Random(SEED)
    source = release.info.source_of(icd10cm.Part.INDEX)  # its own index, or the nearest's
    view = IndexView(release_corpus("index", source)) if source is not None else None
    titles = [code.title for code in release if len(code.undotted) < 7]
    found: list[str] = []
    while len(found) < count:
        if view is not None and len(found) % 2 == 0:
            text = " ".join(view.path(rng.randrange(len(view))))
        else:
            text = rng.choice(titles)
        words = _pick(text, rng)
        if words:
            found.append(_vary(words, rng))
    return found


def _time_queries(release: icd10cm.Release, texts: list[str]) -> list[float]:
    timings = []
    for text in texts:
        start = time.perf_counter()
        icd10cm.search(text, release=release)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def collect(release_id: str, count: int, cold_rounds: int) -> list[Row]:
    cold = []
    for _ in range(cold_rounds):
        icd10cm.clear_cache()
        release = icd10cm.load_release(release_id)
        start = time.perf_counter()
        icd10cm.search("dystonia", release=release)
        cold.append((time.perf_counter() - start) * 1000)
    load = statistics.median(cold)
    release = icd10cm.load_release(release_id)
    texts = queries(release, count)
    timings = _time_queries(release, texts)
    median = statistics.median(timings)
    p95 = sorted(timings)[int(len(timings) * 0.95) - 1] if len(timings) >= 20 else max(timings)
    latest = icd10cm.latest_release()
    icd10cm.search("dystonia", release=latest)  # its first search, not timed
    latest_median = statistics.median(_time_queries(latest, queries(latest, count)))
    borrowed = ", ".join(f"{part}: {source}" for part, source in latest.info.borrowed.items()
                         if part in (icd10cm.Part.INDEX, icd10cm.Part.EINDEX,
                                     icd10cm.Part.NOTES))
    return [
        Row(f"(a) first search on FY{release.info.fiscal_year} ({release_id}), loaded release",
            f"{load:.0f} ms", f"<= {LOAD_TARGET_MS:.0f} ms", load <= LOAD_TARGET_MS),
        Row(f"(b) search, median of {count} varied queries ({release_id})",
            f"{median:.2f} ms", f"<= {QUERY_TARGET_MS:.0f} ms", median <= QUERY_TARGET_MS),
        Row("    95th percentile", f"{p95:.2f} ms"),
        Row(f"(c) search, median on the latest release ({latest.id}; {borrowed})",
            f"{latest_median:.2f} ms", f"<= {QUERY_TARGET_MS:.0f} ms",
            latest_median <= QUERY_TARGET_MS),
    ]


Node = tuple[str | None, dict[str, "Node"]]  # (code, subterms by key)


def _nested(view: IndexView, position: int) -> dict[str, Node]:
    """The subterms of *position* (-1: the main terms) as a plain nested dict."""
    nodes: dict[int, Node] = {}
    out: dict[str, Node] = {}
    for key, child in view.child_keys(position).items():
        node = nodes.get(child)
        if node is None:
            below = _nested(view, child) if view.end(child) > child + 1 else {}
            node = nodes[child] = (view.value("code", child) or None, below)
        out[key] = node
    return out


def collect_walks(release_id: str, walks: int, rounds: int) -> list[Row]:
    from icd10cm.index.corpus import release_corpus
    from icd10cm.index.words import fold_spaced

    release = icd10cm.load_release(release_id)
    source = release.info.source_of(icd10cm.Part.INDEX)
    assert source is not None
    view = release_corpus("index", source).view()
    tree: Node = (None, _nested(view, -1))

    def walk(*steps: str) -> str | None:
        node = tree
        for step in steps:
            node = node[1][fold_spaced(step)]
        return node[0]

    rng = random.Random(SEED)
    paths = [view.path(rng.randrange(len(view))) for _ in range(walks)]
    for path in paths:  # the same answers, and each path walked once before timing
        assert icd10cm.index_lookup(*path, release=release).code == walk(*path), path
    chunks = [paths[i:i + 50] for i in range(0, len(paths), 50)]
    ratios, ours, theirs, by_id = [], [], [], []
    for _ in range(rounds):
        for chunk in chunks:
            start = time.perf_counter()
            for path in chunk:
                walk(*path)
            reference = time.perf_counter() - start
            start = time.perf_counter()
            for path in chunk:
                icd10cm.index_lookup(*path, release=release)
            measured = time.perf_counter() - start
            start = time.perf_counter()
            for path in chunk:
                icd10cm.index_lookup(*path, release=release_id)
            by_id.append((time.perf_counter() - start) / len(chunk))
            ratios.append(measured / reference)
            ours.append(measured / len(chunk))
            theirs.append(reference / len(chunk))
    ratio = statistics.median(ratios)
    depth = statistics.mean(len(path) for path in paths)
    return [
        Row(f"(d) index_lookup over a plain dict walk, {walks} paths ({release_id}, "
            f"{depth:.1f} steps on average)", f"{ratio:.2f}x", f"<= {WALK_TARGET_RATIO}x",
            ratio <= WALK_TARGET_RATIO),
        Row("    index_lookup(*path, release=<Release>), per path",
            f"{statistics.median(ours) * 1e6:.1f} us"),
        Row("    the nested dict walk, per path", f"{statistics.median(theirs) * 1e6:.1f} us"),
        Row(f"    index_lookup(*path, release={release_id!r}), per path",
            f"{statistics.median(by_id) * 1e6:.1f} us"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--release", default="2023", help="a release with an index (2023)")
    parser.add_argument("--queries", type=int, default=1000, help="queries to time (1000)")
    parser.add_argument("--cold-rounds", type=int, default=5, help="first-search rounds (5)")
    parser.add_argument("--walks", type=int, default=1000, help="index paths to walk (1000)")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the walks (10)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    rows = collect(args.release, args.queries, args.cold_rounds)
    rows += collect_walks(args.release, args.walks, args.rounds)
    print(f"icd10cm.search on release {args.release}: {args.queries} queries, "
          f"{args.cold_rounds} first-search round(s); index_lookup: {args.walks} paths, "
          f"{args.rounds} round(s)")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    raise SystemExit(main())
