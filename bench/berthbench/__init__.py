"""berthbench: the same workloads against berthd and a reference dockerd, side by side in one run."""

import os
import sys

# The end-to-end suite's standard-library helpers (HTTP over a unix socket, berthd's iptables rules, the
# busybox image) serve the benchmark too: one copy of each.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "e2e"))
