"""Diffs of every pair of consecutive versions of a law in the shared corpus: how often the article-aligned
diff lists exactly the changed articles (on the pairs where an independent rule can say which they are),
how many pairs involve renumbering, and what a diff costs against a plain character diff in the same run.

    .venv/bin/python bench/versions_bench.py [--corpus ../shared/corpus]

Reported (JSON): ``pairs``; ``rule_applies`` (same labels, nothing renumbered: see
``tests/support/law_pairs.py``) with ``exact`` (the diff's changed set equals the rule's, and no article is
reported moved, inserted or deleted) and the pairs where it is not; ``with_moves``: pairs whose diff reports
renumbered articles; CPU seconds (user+sys of this process) for all diffs and for the baseline (a line
diff, as ``diff`` would give: difflib over the normalised lines, no article alignment and no character
level), their ratio, and the slowest pair.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import defaultdict
from difflib import SequenceMatcher
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    args = ap.parse_args()
    os.environ["NORMREG_CORPUS"] = str(args.corpus)
    from registry.rules.textdiff import Unit, diff_units, normal_form
    from tests.support.law_pairs import _catalog, expected_changes, law_version

    by_title: dict[str, list[str]] = defaultdict(list)
    for row in _catalog():
        by_title[row["title"]].append(row["publication_date"])
    pairs = [(t, a, b) for t, dates in by_title.items() for a, b in pairwise(sorted(dates))]
    out: dict[str, Any] = {"pairs": 0, "rule_applies": 0, "exact": 0, "not_exact": [], "with_moves": 0,
                           "articles_compared": 0}
    diff_cpu = base_cpu = 0.0
    slowest = (0.0, "")
    for title, a, b in pairs:
        old, new = law_version(title, a), law_version(title, b)
        if not old.articles or not new.articles:
            continue
        out["pairs"] += 1
        out["articles_compared"] += len(old.articles) + len(new.articles)
        t0 = cpu()
        result = diff_units([Unit(n, x) for n, x in old.articles], [Unit(n, x) for n, x in new.articles])
        spent = cpu() - t0
        diff_cpu += spent
        slowest = max(slowest, (spent, f"{title} {a}→{b}"))
        t0 = cpu()
        SequenceMatcher(None, [normal_form(x)[0] for x in old.text.splitlines()],
                        [normal_form(x)[0] for x in new.text.splitlines()]).get_opcodes()
        base_cpu += cpu() - t0
        if result.summary["moved"]:
            out["with_moves"] += 1
        expected = expected_changes(old, new)
        if expected is not None:
            out["rule_applies"] += 1
            got = {x.new_number for x in result.changed}
            if got == expected and all(x.status == "changed" for x in result.changed):
                out["exact"] += 1
            else:
                out["not_exact"].append(f"{title} {a}→{b}")
    out.update(diff_cpu_s=round(diff_cpu, 2), baseline_cpu_s=round(base_cpu, 2),
               ratio=round(diff_cpu / base_cpu, 2) if base_cpu else None,
               slowest_pair_s=round(slowest[0], 3), slowest_pair=slowest[1],
               loadavg=Path("/proc/loadavg").read_text().split()[:3], at=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
