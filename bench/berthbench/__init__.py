"""berthbench: the same workloads against berthd and a reference dockerd, side by side in one run."""
