"""stats: mp-stats --by month over the episode file.

The question: per month of the start (UK local date), how many episodes and
how many distinct children?  mp-stats computes every column it has (RHI
counts, medians, repeat children too) and is compared on these two; the
baseline only parses (its row count must equal the sum of the episodes);
DuckDB (2 threads, as the issue measures it) answers in SQL on the full
file, Miller (count-distinct, then stats1) and csvkit (csvsql on SQLite) on
the slice.  The month is the first seven characters of the start: every
start in the generated file is an ISO local date or date-time.
"""

from _benchlib import Case, Cmd, csv_table, ints, max_mb, ratio

SQL = ("SELECT substr(start, 1, 7) AS period, count(*) AS episodes, count(DISTINCT child_id) AS children "
       "FROM episodes GROUP BY 1 ORDER BY 1")


def months(rows):
    """{month: (episodes, children)} from (period, episodes, children) rows."""
    return {r[0]: (r[1], r[2]) for r in rows}


def stats_answer(out, err):
    return months((r[0], r[1], r[2]) for r in csv_table(out))


def mlr_answer(out, err):
    # period,count (= distinct children),count_sum (= episodes)
    return months((r[0], r[2], r[1]) for r in csv_table(out))


def check(answers, subject):
    """Every peer agrees with mp-stats on each month; the baseline's rows are the episodes."""
    problems = {}
    want = answers.get(subject)
    for name, got in answers.items():
        if name == subject:
            continue
        if name == "bare-parse":
            total = sum(e for e, _ in want.values())
            if got != total:
                problems[name] = "bare-parse read %s rows, mp-stats counted %s episodes" % (got, total)
        elif got != want:
            diff = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))[:5]
            problems[name] = "%s disagrees with mp-stats on %s" % (
                name, ", ".join("%s: %s vs %s" % (k, got.get(k), want.get(k)) for k in diff))
    return problems


CASE = Case(
    name="stats",
    title="mp-stats --by month (all columns) against a bare libcsv parse; peers count episodes and distinct children",
    subject=Cmd("mp-stats", ["{bin}/mp-stats", "--by", "month", "{data}"], answer=stats_answer),
    baseline=Cmd("bare-parse", ["{tools}/bare-parse", "{data}"],
                 answer=lambda out, err: ints(r"(\d+) rows", out)[0] - 1),
    peers=[
        Cmd("duckdb", ["node", "{peers}/duckdb-query.mjs", "--threads", "2", "{data}", SQL],
            answer=lambda out, err: months(csv_table(out)), needs=("node", "duckdb")),
        Cmd("mlr", ["mlr", "--icsv", "--ocsv", "put", "-S", "$period = substr0($start, 0, 6)",
                    "then", "count-distinct", "-f", "period,child_id",
                    "then", "stats1", "-a", "count,sum", "-f", "count", "-g", "period", "{data}"],
            answer=mlr_answer, data="slice", needs=("mlr",)),
        Cmd("csvkit", ["csvsql", "--no-inference", "--tables", "episodes", "--query", SQL, "{data}"],
            answer=lambda out, err: months(csv_table(out)), data="slice", needs=("csvsql",),
            env={"PYTHONWARNINGS": "ignore", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}),
    ],
    build=["mp-stats"],
    targets=[
        ratio("duckdb", 1.0, "issue 7: no slower than DuckDB (2 threads) on monthly episodes and children"),
        ratio("mlr", 0.2, "issue 7: at least 5 times faster than Miller"),
        max_mb(64, "issue 7: peak memory under 64 MB on the 2,000,000-episode file"),
    ],
    check=check,
)
