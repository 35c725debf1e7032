"""Encounters and the Official Guidelines: the encounter type, the rule registry, the checks,
the ordering analysis and sequencing."""
