"""The command line, one module per subcommand.

Each module in :data:`COMMANDS` has ``register(commands)``, which adds its
subparser and sets ``run`` to a function taking the parsed arguments and
returning the exit code. Modules import the library only inside ``run``, so
``icd10cm --help`` stays fast.
"""

from __future__ import annotations

__all__ = ["COMMANDS"]

#: Subcommand modules of ``icd10cm.cli``, in the order ``--help`` lists them.
COMMANDS = ("lookup", "search", "index", "drug", "neoplasm", "validate", "check", "diff",
            "convert", "comorbidity", "releases")
