"""Consistency checks over the extracted facts of one report."""
