#!/usr/bin/env python3
"""Another way of doing part of the same work, for comparison: read every action file of a
plan with PyYAML (libyaml's C loader when present) and pick the completed ones. It checks
nothing and keeps no positions, so it is a floor, not a rival.

Usage: scripts/baseline.py DATA_DIR
"""
import os
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
folder = os.path.join(sys.argv[1], "actions")
completed = 0
for name in os.listdir(folder):
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        action = yaml.load(f, Loader=Loader)
    completed += action.get("status") == "completed"
print(completed)
