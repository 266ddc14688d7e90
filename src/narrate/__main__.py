"""``python -m narrate``: the same command as ``narrate``."""

from .cli import main

main()
