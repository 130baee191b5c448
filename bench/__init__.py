"""The benchmark (``make bench``): see bench/run.py and docs/performance.md."""
