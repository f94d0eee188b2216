"""Benchmarks: `make bench` (`python -m benchmarks.run`) measures speed and memory."""
