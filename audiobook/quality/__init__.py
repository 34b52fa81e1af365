"""Measures for tests and the benchmark (answer-key scores, audio measures); renders never import this."""
