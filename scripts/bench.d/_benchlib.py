"""_benchlib: what a benchmark case file (scripts/bench.d/NAME.py) is made of.

See scripts/bench.d/README for the format.  Imported by scripts/bench and by
the case files; files whose names start with '_' are not cases.
"""

import csv
import io
import re


class Cmd:
    """One command that answers a case's question.

    name    label in the table ("mp-validate", "bare-parse", "mlr", ...)
    argv    list of strings, or one string run with sh -c (for pipelines);
            placeholders: {data} the input file, {bin} the mptools programs,
            {tools} build/tools (bare-parse), {top} the source tree,
            {peers} scripts/peers, {tmp} a scratch folder under bench-data/
    answer  function (stdout, stderr) -> a normalised answer (any value that
            compares with ==; a dict is compared on the keys both sides have)
    data    "full" (the 2,000,000-row file; 200,000 with --quick) or "slice"
            (200,000 rows; 20,000 with --quick) for slow peers
    needs   programs that must be on PATH ("duckdb" means the npm peer);
            when one is missing the command is skipped with a message
    ok_rc   exit statuses that count as success (default: 0)
    env     extra environment variables
    """

    def __init__(self, name, argv, answer, data="full", needs=(), ok_rc=(0,), env=None):
        if data not in ("full", "slice"):
            raise ValueError("%s: data must be 'full' or 'slice'" % name)
        self.name = name
        self.argv = argv
        self.answer = answer
        self.data = data
        self.needs = tuple(needs)
        self.ok_rc = tuple(ok_rc)
        self.env = env or {}


class Target:
    """A performance target checked and printed after the table.

    ratio(peer, x): the subject's median is at most x times peer's (same data)
    max_mb(m):      the subject's peak memory is at most m MB (full file)
    flat_mb(x):     the subject's peak memory on the full file is at most x
                    times its peak on the slice (ten times fewer rows): memory
                    that does not grow with the file (needs a slice peer)
    """

    def __init__(self, kind, value, peer=None, why=""):
        self.kind, self.value, self.peer, self.why = kind, value, peer, why


def ratio(peer, x, why=""):
    return Target("ratio", x, peer, why)


def max_mb(m, why=""):
    return Target("max_mb", m, None, why)


def flat_mb(x, why=""):
    return Target("flat_mb", x, None, why)


class Case:
    """One question asked of the mptools subject, a baseline and peers.

    name      what `scripts/bench NAME` selects (unique across bench.d)
    title     one line for the report
    subject   the mptools Cmd being measured
    baseline  the Cmd every other is divided by (usually bare-parse)
    peers     other Cmds answering the same question
    build     make targets the case needs, as program names ("mp-validate");
              bare-parse is always built
    targets   list of Target
    check     optional function(answers, subject) -> {name: problem} naming
              each command whose answer does not agree, where answers maps
              command name -> answer (only commands that ran, on one data set)
              and subject is the subject's name; default: every answer equals
              the subject's (dicts: on the keys both have)
    """

    def __init__(self, name, title, subject, baseline, peers=(), build=(), targets=(), check=None):
        self.name = name
        self.title = title
        self.subject = subject
        self.baseline = baseline
        self.peers = list(peers)
        self.build = list(build)
        self.targets = list(targets)
        self.check = check or default_check

    def commands(self):
        return [self.subject, self.baseline] + self.peers


def same(a, b):
    """Whether two normalised answers agree (dicts: on their common keys)."""
    if isinstance(a, dict) and isinstance(b, dict):
        common = set(a) & set(b)
        return bool(common) and all(a[k] == b[k] for k in common)
    return a == b


def default_check(answers, subject):
    """Every answer must equal the subject's."""
    problems = {}
    want = answers.get(subject)
    for name, got in answers.items():
        if name != subject and not same(want, got):
            problems[name] = "%s answered %s, %s answered %s" % (name, short(got), subject, short(want))
    return problems


def short(v, n=300):
    s = repr(v)
    return s if len(s) <= n else s[:n] + "..."


# ---- normalising helpers ---------------------------------------------------

_num = re.compile(r"^-?\d+(\.\d+)?(e[-+]?\d+)?$", re.I)


def norm_value(s, places=6):
    """A field as a comparable value: numbers as int or rounded float, text stripped."""
    s = s.strip()
    if _num.match(s):
        f = float(s)
        return int(f) if f == int(f) and "e" not in s.lower() and abs(f) < 2 ** 53 else round(f, places)
    return s


def csv_table(text, header=True, sort=True, places=6):
    """A CSV text as a tuple of rows of normalised values (header dropped, rows sorted)."""
    rows = list(csv.reader(io.StringIO(text)))
    if header and rows:
        rows = rows[1:]
    out = [tuple(norm_value(v, places) for v in r) for r in rows if r]
    return tuple(sorted(out, key=repr) if sort else out)


def ints(pattern, text):
    """The integers captured by pattern's groups in text (ValueError when absent)."""
    m = re.search(pattern, text)
    if not m:
        raise ValueError("no match for /%s/ in %r" % (pattern, text[-300:]))
    return tuple(int(g) for g in m.groups())


def duckdb(sql, data="full", threads=None, name="duckdb"):
    """A Cmd running SQL over the data file (the view `episodes`) with DuckDB;
    its answer is the CSV result as csv_table()."""
    argv = ["node", "{peers}/duckdb-query.mjs"]
    if threads:
        argv += ["--threads", str(threads)]
    argv += ["{data}", sql]
    return Cmd(name, argv, answer=lambda out, err: csv_table(out), data=data, needs=("duckdb",))
