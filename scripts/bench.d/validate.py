"""validate: mp-validate's schema checks over the episode file.

The question: how many rows are there, and how many pass the schema
(share/schemas/episode.schema: required values, codes, Y/N flags, dates,
date-times, list items, patterns, unique episode ids)?  mp-validate writes
its valid rows to /dev/null and answers on its closing stderr line; the
baseline only parses (its row count must match); the peers evaluate the
same schema, read from the same schema file, in their own languages:
DuckDB (SQL regular expressions) on the full file, Miller (its DSL) and
csvkit (csvsql on SQLite, GLOB patterns) on the slice.

The peers check formats only (a regular expression accepts 2025-02-30,
mp-validate does not): on generated data, where every value is real, the
answers must agree exactly.
"""

import os

from _benchlib import Case, Cmd, csv_table, flat_mb, ints, ratio

SCHEMA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "share", "schemas", "episode.schema")

DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4}"
TIME = r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?"
DATETIME = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]" + TIME + r"(Z|[+-][0-9]{2}:[0-9]{2})?)?"
            r"|[0-9]{2}/[0-9]{2}/[0-9]{4}( " + TIME + ")?")


def load_schema(path=SCHEMA):
    """[(name, type, required, unique, codes, pattern)] from the schema file."""
    fields = []
    with open(path) as fh:
        for line in fh:
            words = line.split(None, 1)
            if not words or words[0].startswith("#"):
                continue
            key, val = words[0], (words[1].strip() if len(words) > 1 else "")
            if key == "field":
                fields.append({"name": val, "type": "string", "required": False, "unique": False,
                               "codes": [], "pattern": None})
            elif key == "type":
                fields[-1]["type"] = val
            elif key in ("required", "unique"):
                fields[-1][key] = val == "yes"
            elif key == "codes":
                fields[-1]["codes"] = val.split()
            elif key == "pattern":
                fields[-1]["pattern"] = val.replace("(?:", "(")
    return fields


def item_regex(f):
    """The regular expression one value (or list item) must match, or None."""
    t = f["type"]
    if t in ("code", "list") and f["codes"]:
        return "(" + "|".join(f["codes"]) + ")"
    if f["pattern"]:
        return "(" + f["pattern"] + ")"
    return {"flag": "(Y|N)", "date": "(" + DATE + ")", "datetime": "(" + DATETIME + ")",
            "int": "(-?[0-9]+)"}.get(t)


def value_regex(f):
    r = item_regex(f)
    if r and f["type"] == "list":
        return r + "(;" + r + ")*"
    return r


def sql_quote(s):
    return "'" + s.replace("'", "''") + "'"


def schema_preds(fields):
    """SQL conditions, one per checked column, that a valid row meets."""
    preds = []
    for f in fields:
        col = '"%s"' % f["name"]
        r = value_regex(f)
        if f["type"] == "code" and f["codes"]:
            check = "%s IN (%s)" % (col, ", ".join(sql_quote(c) for c in f["codes"]))
        elif r:
            check = "regexp_full_match(%s, %s)" % (col, sql_quote(r))
        else:
            check = None
        if f["required"]:
            preds.append(col + " IS NOT NULL" + (" AND " + check if check else ""))
        elif check:
            preds.append("(%s IS NULL OR %s)" % (col, check))
    return preds


def duckdb_sql(fields):
    dup = " - (count(%s) - count(DISTINCT %s))" % ((('"%s"' % fields[0]["name"]),) * 2) \
        if fields[0]["unique"] else ""
    return "SELECT count(*) AS rows, count_if(%s)%s AS passed FROM episodes" % (
        " AND ".join(schema_preds(fields)), dup)


# The episode-logic rules as SQL over VARCHAR columns (NULL where empty: every
# condition must be true, never NULL, for a valid row).  ISO local times compare
# as strings (generated data has offsets only in the repeated October hour).
LOGIC = [
    '("end" IS NULL OR "end" >= start)',                                            # end_before_start
    "start <= '{now}' AND coalesce(\"end\", '') <= '{now}' AND coalesce(rhi_held, '') <= '{now}'",  # future
    "(dob IS NULL OR substr(start, 1, 10) > dob)",                                   # start_before_dob
    '(rhi_held IS NULL OR "end" IS NULL OR rhi_held >= "end")',                      # rhi_before_return
    'NOT ("end" IS NULL AND rhi_held IS NOT NULL)',                                  # rhi_on_open
    "NOT (coalesce(rhi_accepted, '') = 'Y' AND coalesce(rhi_offered, '') <> 'Y')",   # accepted_not_offered
    "NOT (rhi_held IS NOT NULL AND rhi_reason IS NOT NULL)",                         # reason_with_held
    "(placement IS NULL OR coalesce(care_status, '') = 'lac')",                      # placement_not_lac
    "dups = 1",                                                                      # duplicate_episode
    '(prev_start IS NULL OR (prev_end IS NOT NULL AND start >= prev_end))',          # overlap
]


def duckdb_all_sql(fields, now):
    return ("SELECT count(*) AS rows, count_if(%s) - (count(episode_id) - count(DISTINCT episode_id)) AS passed "
            "FROM (SELECT *, lag(start) OVER w AS prev_start, lag(\"end\") OVER w AS prev_end, "
            "count(*) OVER (PARTITION BY child_id, type, start) AS dups FROM episodes "
            "WINDOW w AS (PARTITION BY child_id ORDER BY start, episode_id))" % (
                " AND ".join(schema_preds(fields) + [p.replace("{now}", now) for p in LOGIC])))


def mlr_dsl(fields):
    preds = []
    uniq = [f["name"] for f in fields if f["unique"]]
    for f in fields:
        col = "${%s}" % f["name"]
        r = value_regex(f)
        codes = f["codes"] if f["type"] == "code" else ["Y", "N"] if f["type"] == "flag" else None
        if codes:       # string comparisons: Miller's regular expressions are slow
            check = "(" + " || ".join('%s == "%s"' % (col, c) for c in codes) + ")"
        elif r:
            check = 'string(%s) =~ "^(%s)$"' % (col, r.replace("\\", "\\\\"))
        else:
            check = None
        if f["required"]:
            preds.append("!is_empty(%s)" % col + (" && " + check if check else ""))
        elif check:
            preds.append("(is_empty(%s) || %s)" % (col, check))
    u = uniq[0] if uniq else None
    body = "@rows += 1; ok = %s;" % " && ".join(preds)
    if u:
        body += " if (ok && is_present(@seen[${%s}])) { ok = false } elif (ok) { @seen[${%s}] = 1 }" % (u, u)
    body += " if (ok) { @passed += 1 }"
    return "begin { @rows = 0; @passed = 0; @seen = {} } %s end { emit (@rows, @passed) }" % body


def sqlite_sql(fields):
    """csvsql runs SQLite, which has GLOB but no regular expressions."""
    d = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
    preds = []
    for f in fields:
        col = '"%s"' % f["name"]
        t = f["type"]
        if t == "code" and f["codes"]:
            check = "%s IN (%s)" % (col, ", ".join(sql_quote(c) for c in f["codes"]))
        elif t == "flag":
            check = "%s IN ('Y', 'N')" % col
        elif t == "date":
            check = "%s GLOB '%s'" % (col, d)
        elif t == "datetime":
            check = "(%s GLOB '%s' OR %s GLOB '%sT[0-2][0-9]:[0-5][0-9]*')" % (col, d, col, d)
        elif t == "list" and f["pattern"]:
            check = "%s NOT GLOB ('*[^a-z0-9_' || char(59) || ']*')" % col  # csvsql splits queries at ';'
        elif f["pattern"]:
            check = "%s NOT GLOB '*[^a-z0-9_]*'" % col
        else:
            check = None
        empty = "coalesce(%s, '') = ''" % col
        if f["required"]:
            preds.append("NOT " + empty + (" AND " + check if check else ""))
        elif check:
            preds.append("(%s OR %s)" % (empty, check))
    return "SELECT count(*) AS rows, sum(CASE WHEN %s THEN 1 ELSE 0 END) AS passed FROM episodes" % (
        " AND ".join(preds))


def table_answer(out, err):
    (rows, passed), = csv_table(out)
    return {"rows": rows, "passed": passed}


FIELDS = load_schema()
# The bench files are generated with gen-episodes' default --now.
NOW = "2025-04-01T09:00"
# mp-validate's episode-logic rules, skipped for the schema-only case (an
# unknown id makes mp-validate fail, so a renamed rule shows up here).
LOGIC_RULES = ("end_before_start,future,start_before_dob,age_18,rhi_before_return,rhi_on_open,"
               "accepted_not_offered,reason_with_held,placement_not_lac,duplicate_episode,overlap,"
               "open_too_long")


def mp_validate_answer(out, err):
    return dict(zip(("rows", "passed"), ints(r"(\d+) rows? read, (\d+) passed", err)))


BARE = Cmd("bare-parse", ["{tools}/bare-parse", "{data}"],
           answer=lambda out, err: {"rows": ints(r"(\d+) rows", out)[0] - 1})

SCHEMA_ONLY = Case(
    name="validate",
    title="mp-validate schema checks only (valid rows to /dev/null) against a bare libcsv parse",
    subject=Cmd("mp-validate", ["{bin}/mp-validate", "--now", NOW, "--skip", LOGIC_RULES, "-o", "/dev/null",
                                "{data}"], answer=mp_validate_answer),
    baseline=BARE,
    peers=[
        Cmd("duckdb", ["node", "{peers}/duckdb-query.mjs", "{data}", duckdb_sql(FIELDS)],
            answer=table_answer, needs=("node", "duckdb")),
        Cmd("mlr", ["mlr", "--icsv", "--ocsv", "put", "-q", mlr_dsl(FIELDS), "{data}"],
            answer=table_answer, data="slice", needs=("mlr",)),
        Cmd("csvkit", ["csvsql", "--no-inference", "--tables", "episodes", "--query", sqlite_sql(FIELDS), "{data}"],
            answer=table_answer, data="slice", needs=("csvsql",),
            env={"PYTHONWARNINGS": "ignore", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}),
    ],
    build=["mp-validate"],
    targets=[
        ratio("bare-parse", 1.7, "issue 2: schema checks cost at most 0.7 x the parse"),
        flat_mb(1.5, "memory does not grow with the file"),
    ],
)

ALL_RULES = Case(
    name="validate-all",
    title="mp-validate with every rule (schema and episode logic, overlaps per child) against DuckDB",
    subject=Cmd("mp-validate", ["{bin}/mp-validate", "--now", NOW, "-q", "-o", "/dev/null", "{data}"],
                answer=mp_validate_answer),
    baseline=BARE,
    peers=[
        Cmd("duckdb", ["node", "{peers}/duckdb-query.mjs", "{data}", duckdb_all_sql(FIELDS, NOW)],
            answer=table_answer, needs=("node", "duckdb")),
    ],
    build=["mp-validate"],
    targets=[ratio("duckdb", 1.0, "as fast as DuckDB on two cores")],
)

CASES = [SCHEMA_ONLY, ALL_RULES]
