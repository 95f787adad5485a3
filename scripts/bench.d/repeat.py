"""repeat: mp-repeat --min 3 --window 90 over the episode file.

The question: which children have 3 or more episodes starting within some
span of 90 consecutive calendar days (UK local start dates; the same child,
type and start counted once), and how many episodes are in the fullest
such span?  The answer compared is the histogram {episodes in the fullest
span: number of children}: the full lists are too long for the harness's
first megabyte of output, so mp-repeat writes its list to {tmp} and the
answer is computed from that file, while DuckDB (2 threads, as issue 6
measures it) groups its window-function result itself.  The baseline only
parses (its row count must equal the rows mp-repeat read).  The local date
is the first ten characters of the start: every start in the generated
file is an ISO local date or date-time.
"""

import csv
import os

from _benchlib import Case, Cmd, csv_table, ints, ratio

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                   "bench-data", "tmp", "repeat-list.csv")

SQL = ("WITH e AS (SELECT DISTINCT child_id, type, start, CAST(substr(start, 1, 10) AS DATE) AS d "
       "FROM episodes), "
       "w AS (SELECT child_id, count(*) OVER (PARTITION BY child_id ORDER BY d "
       "RANGE BETWEEN CURRENT ROW AND INTERVAL 89 DAYS FOLLOWING) AS n FROM e) "
       "SELECT episodes, count(*) AS children FROM "
       "(SELECT child_id, max(n) AS episodes FROM w GROUP BY child_id HAVING max(n) >= 3) GROUP BY 1 ORDER BY 1")


def repeat_answer(out, err):
    """{episodes: children} from mp-repeat's list (in OUT), and the rows it read."""
    hist = {}
    with open(OUT, newline="") as fh:
        for row in csv.DictReader(fh):
            n = int(row["episodes"])
            hist[n] = hist.get(n, 0) + 1
    return {"children": hist, "rows": ints(r"(\d+) rows? read", err)[0]}


def duck_answer(out, err):
    return {"children": {r[0]: r[1] for r in csv_table(out)}}


def check(answers, subject):
    """DuckDB lists the same children with the same counts; bare-parse read as many rows."""
    problems = {}
    want = answers.get(subject)
    for name, got in answers.items():
        if name == subject:
            continue
        if name == "bare-parse":
            if got != want["rows"]:
                problems[name] = "bare-parse read %s rows, mp-repeat %s" % (got, want["rows"])
            continue
        a, b = got["children"], want["children"]
        diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        if diff:
            problems[name] = "%s disagrees with mp-repeat on %d counts, e.g. %s" % (
                name, len(diff), ", ".join("%s: %s vs %s" % (k, a.get(k), b.get(k)) for k in diff[:5]))
    return problems


AS_OF_SQL = ("SELECT episodes, count(*) AS children FROM "
             "(SELECT child_id, count(*) AS episodes FROM "
             "(SELECT DISTINCT child_id, type, start FROM episodes "
             "WHERE substr(start, 1, 10) BETWEEN '2025-01-01' AND '2025-03-31') "
             "GROUP BY child_id HAVING count(*) >= 3) GROUP BY 1 ORDER BY 1")

CASES = [Case(
    name="repeat",
    title="mp-repeat --min 3 --window 90 against a bare libcsv parse and DuckDB (window function, 2 threads)",
    subject=Cmd("mp-repeat", ["{bin}/mp-repeat", "--min", "3", "--window", "90", "-o", "{tmp}/repeat-list.csv", "{data}"],
                answer=repeat_answer),
    baseline=Cmd("bare-parse", ["{tools}/bare-parse", "{data}"],
                 answer=lambda out, err: ints(r"(\d+) rows", out)[0] - 1),
    peers=[
        Cmd("duckdb", ["node", "{peers}/duckdb-query.mjs", "--threads", "2", "{data}", SQL],
            answer=duck_answer, needs=("node", "duckdb")),
    ],
    build=["mp-repeat"],
    targets=[
        ratio("bare-parse", 2.0, "issue 6: within 2 times the bare libcsv parse"),
        ratio("duckdb", 1.5, "issue 6: within 1.5 times DuckDB"),
    ],
    check=check,
), Case(
    name="repeat-asof",
    title="mp-repeat --as-of 2025-03-31 (the daily alert: the 90 days up to that day) against bare-parse and DuckDB",
    subject=Cmd("mp-repeat", ["{bin}/mp-repeat", "--as-of", "2025-03-31", "-o", "{tmp}/repeat-list.csv", "{data}"],
                answer=repeat_answer),
    baseline=Cmd("bare-parse", ["{tools}/bare-parse", "{data}"],
                 answer=lambda out, err: ints(r"(\d+) rows", out)[0] - 1),
    peers=[
        Cmd("duckdb", ["node", "{peers}/duckdb-query.mjs", "--threads", "2", "{data}", AS_OF_SQL],
            answer=duck_answer, needs=("node", "duckdb")),
    ],
    build=["mp-repeat"],
    targets=[
        ratio("bare-parse", 2.0, "as the issue asks of the window mode"),
        ratio("duckdb", 1.5, "as the issue asks of the window mode"),
    ],
    check=check,
)]
