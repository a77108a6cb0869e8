#!/usr/bin/env python3
"""Generate a plan of N actions in the shipped schema, for benchmarks.

Usage: scripts/generate.py N OUT_DIR [--partner CODE] [--findings]

OUT_DIR/data gets the shipped registries, forums, logframe and plan.yaml, and N action
files whose fields are drawn (with a fixed seed) from the shipped registries and from
titles, scopes and timelines like the document's. The plan validates with no errors.
With --partner, every action names CODE (one of the generated partners) as a lead or as
involved: the plan a rename of that partner rewrites whole. With --findings, plan.yaml's
`as_of` is 2020-06-01, after every window of 2019: about 72% of the actions are overdue
(72,421 warnings at 100,000), the plan a team that stopped updating statuses keeps.
"""
import os
import random
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTNERS = ["DCAF", "EUROPOL", "FRONTEX", "JOO", "IOM", "PCC-SEE", "CEPOL", "SELEC"]
PLACES = ["WB", "SEE", "ALB", "BIH", "MNE", "SRB", "MKD", "ALB-GRE", "ALB-MNE", "MKD-GRE", "VIE", "SELEC-HQ"]
FUNDING = ["IPA-II-2017", "GIZ", "JOO", "TAIEX", "BMI-AT", "NORAD", "PCC-SEE", "CEPOL-FIP", "SELEC", "EXTERNAL", "FRONTEX", "IOM"]
NEEDS = ["BP-%d" % i for i in range(1, 13)] + ["BP-7a", "BP-7b", "BP-7c"] + ["CP-%d" % i for i in range(1, 8)] + ["CT-3", "CT-4"]
KINDS = ["Joint Operation", "Workshop on", "Training course in", "Study visit on", "Regional meeting on", "Task Force on"]
TOPICS = ["risk analysis", "interviewing techniques", "forged documents", "financial investigations",
          "online investigations", "voluntary return", "border surveillance", "mixed patrols",
          "readmission procedures", "data exchange", "debriefing", "migrant registration"]
SCOPES = ["Border police", "Criminal police", "Border police and criminal police", "Prosecutors",
          "Criminal police, FIUs Judicial personnel", "Educators, Trainers"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


SYLLABLES = ["ka", "lo", "mi", "dra", "tu", "zi", "ne", "bor", "sa", "vo", "ri", "gen", "pa", "lu", "de", "ta"]


def codename(rng):
    """A made-up operation name, so that titles vary as real ones do."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).upper()


def timeline(rng):
    year = 2019
    month = rng.randrange(12)
    form = rng.randrange(5)
    if form == 0:
        return "%s %d" % (MONTHS[month], year)
    if form == 1:
        return "By %s %d" % (MONTHS[month], year)
    if form == 2:
        return "Q%d %d" % (month // 3 + 1, year)
    if form == 3:
        return "%d-%02d" % (year, month + 1)
    return "After the entry into force of agreement %d" % rng.randrange(1000)


def action(i, rng, partner=None):
    lead = rng.sample(PARTNERS, rng.choice([1, 1, 1, 2]))
    involved = [p for p in rng.sample(PARTNERS, rng.randrange(3)) if p not in lead]
    if partner is not None and partner not in lead and partner not in involved:
        involved.append(partner)
    places = rng.sample(PLACES, rng.randrange(3))
    title = "%s %s %s" % (rng.choice(KINDS), rng.choice(TOPICS), codename(rng))
    status = rng.choice(["planned"] * 6 + ["in-progress", "requested", "postponed", "cancelled"])
    when = timeline(rng)
    funding = rng.sample(FUNDING, rng.randrange(3))
    lines = [
        "# Generated action %d." % i,
        "id: %d" % i,
        "title: %s" % title,
        "lead: [%s]" % ", ".join(lead),
        "involved: [%s]" % ", ".join(involved),
        "locations: [%s]" % ", ".join(places),
        "scope: %s" % rng.choice(SCOPES),
        "timeline: %s" % when,
        "status: %s" % status,
    ]
    if status == "requested":
        lines.append("requested_by: MNE")
    if funding:
        lines.append("financing:")
        for source in funding:
            if rng.random() < 0.2:
                lines.append("  - source: %s" % source)
                lines.append("    tentative: true")
            else:
                lines.append("  - %s" % source)
    else:
        lines.append("financing: []")
    lines.append("addresses: [%s]" % ", ".join(rng.sample(NEEDS, rng.randrange(1, 3))))
    return "\n".join(lines) + "\n"


def main():
    args = sys.argv[1:]
    partner = None
    if "--partner" in args:
        at = args.index("--partner")
        partner = args[at + 1]
        del args[at : at + 2]
        if partner not in PARTNERS:
            sys.exit("--partner: one of " + ", ".join(PARTNERS))
    findings = "--findings" in args
    if findings:
        args.remove("--findings")
    n, out = int(args[0]), args[1]
    data = os.path.join(out, "data")
    if os.path.exists(data):
        shutil.rmtree(data)
    shutil.copytree(os.path.join(ROOT, "data"), data, ignore=shutil.ignore_patterns("actions"))
    if findings:
        path = os.path.join(data, "plan.yaml")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write("".join("as_of: 2020-06-01\n" if line.startswith("as_of:") else line
                            for line in text.splitlines(keepends=True)))
    actions = os.path.join(data, "actions")
    os.makedirs(actions)
    rng = random.Random(2019)
    for i in range(1, n + 1):
        with open(os.path.join(actions, "%06d-generated-%d.yaml" % (i, i)), "w") as f:
            f.write(action(i, rng, partner))


if __name__ == "__main__":
    main()
