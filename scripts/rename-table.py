#!/usr/bin/env python3
"""Rewrite a table that `iisg export --format csv` wrote, naming partner NEW where it named OLD.

Usage: scripts/rename-table.py IN.csv OUT.csv OLD NEW

`iisg import --update --add-missing OUT.csv` then makes the change a rename of OLD makes:
every action that names OLD rewritten, and NEW added to partners.yaml (its code made from
the name), all in one transaction. scripts/bench-commit.sh and scripts/crash.sh use it.
"""
import csv
import sys


def main():
    source, target, old, new = sys.argv[1:5]
    with open(source, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    lead, involved = rows[0].index("Lead"), rows[0].index("Involved")
    with open(target, "w", encoding="utf-8", newline="") as out:
        table = csv.writer(out)
        table.writerow(rows[0])
        for row in rows[1:]:
            for column in (lead, involved):
                row[column] = ", ".join(new if p == old else p for p in row[column].split(", ") if p)
            table.writerow(row)


if __name__ == "__main__":
    main()
