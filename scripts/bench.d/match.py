"""match: mp-match over 2,000,000 case and 2,000,000 police episodes.

The question: how many episodes are in both streams, in the case system
only and in the police notifications only?  mp-match answers on its
closing stderr line, writing the reconciled stream to /dev/null.  The
baseline reads both files once with a bare libcsv parse (issue 14: "within
2x the time of reading both files once"); its row counts must equal the
rows mp-match read on each side.

The case stream is the episode file.  The police stream is made from it by
this file (run as a script: match.py CASE POLICE) the first time a command
needs it, beside the episode file, and reused while it exists:
  - away episodes and 10% of the missing ones have no notification;
  - a notification keeps the case record's police_ref (70%), or has none
    (30%: half keep the start, half move it by up to 5 hours either way),
    so both pairing passes are exercised;
  - about 5% give another risk and 3% another end (conflicts);
  - notifications for episodes the case system never recorded (children on
    it, and children it never had) bring the stream to as many rows as the
    case stream.
Deterministic (seeded), so every run and every machine sees the same pairs.
"""

import csv
import os
import random
import sys
from datetime import datetime, timedelta

from _benchlib import Case, Cmd, ints, ratio

# The police file beside the episode file: bench-data/episodes-2m.police.csv.
POLICE = 'p="{data}"; p="${p%.csv}.police.csv"; ' \
         '[ -s "$p" ] || python3 "{top}/scripts/bench.d/match.py" "{data}" "$p" || exit 1; '

COLUMNS = ("episode_id,child_id,type,start,end,dob,sex,ethnicity,send,care_status,placement,allocated,"
           "police_ref,police_risk,rhi_offered,rhi_accepted,rhi_held,rhi_reason,push_pull,hoth,source,la,"
           "responsible_la,rhi_offered_at,location,found_location,source_line").split(",")
RISKS = ("no_apparent_risk", "low", "medium", "high")
PLACES = ("Home address", "Town centre, near the bus station", "Friend's address", "Retail park")


def local(t):
    """A naive local time as ISO, moved out of the hour the spring change skips."""
    if t.month == 3 and t.weekday() == 6 and t.day >= 25 and t.hour == 1:
        t += timedelta(hours=1)
    return t.strftime("%Y-%m-%dT%H:%M")


def shifted(stamp, minutes):
    """An ISO local date-time moved by minutes (a date alone is kept)."""
    if len(stamp) < 16:
        return stamp
    return local(datetime.strptime(stamp[:16], "%Y-%m-%dT%H:%M") + timedelta(minutes=minutes))


def police_row(rng, n, child, start, end, dob, sex, ref, risk):
    row = dict.fromkeys(COLUMNS, "")
    row.update(episode_id="police-%016x" % rng.getrandbits(64), child_id=child, type="missing",
               start=start, end=end, dob=dob, sex=sex, police_ref=ref, police_risk=risk, source="police",
               location=rng.choice(PLACES), found_location=rng.choice(PLACES), source_line=str(n + 2))
    return row


def make_police(case_path, out_path, seed=14):
    rng = random.Random(seed)
    rows, kids, ncase = [], [], 0
    with open(case_path, newline="") as fh:
        for r in csv.DictReader(fh):
            ncase += 1
            if len(kids) < 200000:
                kids.append((r["child_id"], r["dob"], r["sex"]))
            if r["type"] != "missing" or rng.random() < 0.10:
                continue
            start, end, ref = r["start"], r["end"], r["police_ref"]
            if rng.random() < 0.30:
                ref = ""
                if rng.random() < 0.5:
                    d = rng.randint(-300, 300)
                    start, end = shifted(start, d), shifted(end, d) if end else end
            risk = r["police_risk"] if rng.random() >= 0.05 else rng.choice(RISKS)
            if end and rng.random() < 0.03:
                end = shifted(end, rng.randint(10, 600))
            rows.append((start, r["child_id"], r["dob"], r["sex"], end, ref, risk))
    first = datetime(2024, 4, 1)
    while len(rows) < ncase:
        child, dob, sex = rng.choice(kids) if rng.random() < 0.5 else \
            ("9%07d" % rng.randrange(10 ** 7), "2010-01-01", rng.choice(("male", "female")))
        t = first + timedelta(minutes=rng.randrange(365 * 24 * 60))
        start, end = local(t), local(t + timedelta(minutes=rng.randint(30, 3000)))
        rows.append((start, child, dob, sex, end, "NX-%07d" % rng.randrange(10 ** 7), rng.choice(RISKS)))
    rows.sort(key=lambda x: x[0])       # notifications in the order they came
    tmp = out_path + ".tmp"
    with open(tmp, "w", newline="") as fh:
        w = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
        w.writeheader()
        for n, (start, child, dob, sex, end, ref, risk) in enumerate(rows):
            w.writerow(police_row(rng, n, child, start, end, dob, sex, ref, risk))
    os.replace(tmp, out_path)


def match_answer(out, err):
    case, police, both, case_only, police_only = ints(
        r"read case (\d+), police (\d+); written both (\d+), case_only (\d+), police_only (\d+)", err)
    return {"case": case, "police": police, "both": both, "case_only": case_only, "police_only": police_only}


def bare_answer(out, err):
    case, police = (int(line.split()[0]) - 1 for line in out.splitlines()[:2])
    return {"case": case, "police": police}


CASE = Case(
    name="match",
    title="mp-match of 2,000,000 case and 2,000,000 police episodes (output to /dev/null) "
          "against a bare libcsv parse of both files",
    subject=Cmd("mp-match", POLICE + 'exec "{bin}/mp-match" -o /dev/null "{data}" "$p"',
                answer=match_answer, ok_rc=(0, 3)),
    baseline=Cmd("bare-parse", POLICE + '"{tools}/bare-parse" "{data}" && exec "{tools}/bare-parse" "$p"',
                 answer=bare_answer),
    build=["mp-match"],
    targets=[ratio("bare-parse", 2.0, "issue 14: within 2x the time of reading both files once")],
)

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: match.py CASE.csv POLICE.csv")
    make_police(sys.argv[1], sys.argv[2])
