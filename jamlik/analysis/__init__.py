"""Analysis on the store: benchmarks, colours, gaps, trends, verdicts, profiles, deviations."""
