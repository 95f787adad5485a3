"""validate-rules: mp-validate with every rule on, against a bare libcsv parse.

The question: how many rows are there, and how many pass every check that
mp-validate makes of the canonical stream: the schema (codes, flags, dates,
date-times, patterns, unique episode ids) and the episode logic (dates
against each other and --now, ages, return interviews, placements, and the
per-child duplicate and overlap checks, which keep each child's episodes).
mp-validate writes its valid rows to /dev/null and answers on its closing
stderr line; the baseline only parses the same file (its row count must
match).  Issue 3's targets: within 2 x the bare parse measured in the same
run, with peak memory dominated by the per-child state (the figure for the
file's children is in the table; the summary line of `mp-validate` with
MP_VALIDATE_STATS=1 breaks it down).
"""

from _benchlib import Case, Cmd, ints, max_mb, ratio

# The bench files are generated with gen-episodes' default --now.
NOW = "2025-04-01T09:00"


def answer(out, err):
    return dict(zip(("rows", "passed"), ints(r"(\d+) rows? read, (\d+) passed", err)))


CASE = Case(
    name="validate-rules",
    title="mp-validate, every rule on (schema, episode logic, per-child overlaps), against a bare libcsv parse",
    subject=Cmd("mp-validate", ["{bin}/mp-validate", "--now", NOW, "-q", "-o", "/dev/null", "{data}"],
                answer=answer),
    baseline=Cmd("bare-parse", ["{tools}/bare-parse", "{data}"],
                 answer=lambda out, err: {"rows": ints(r"(\d+) rows", out)[0] - 1}),
    build=["mp-validate"],
    targets=[
        ratio("bare-parse", 2.0, "issue 3: every rule on, within 2 x the parse"),
        max_mb(400, "per-child state for about 900,000 children and 2,000,000 episode ids"),
    ],
)
