"""The `mentormesh` command: every Django management command, plus the offline engine.

`mentormesh rank ...` runs the pure matching engine without loading Django, so it needs no
database. Hyphenated names (`import-people`) map to the management commands' module names.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "rank":
        from mentormesh.matching.cli import main as rank_main

        return rank_main(argv[2:])
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentormesh.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
