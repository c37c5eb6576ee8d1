"""The command line: arguments → a subcommand or the app (see ``main``).

One module per group of subcommands; heavy imports happen inside the functions, so
``--version``, ``controleer`` and the start of the app stay quick.
"""

from wijkgesprek.cli.main import main

__all__ = ["main"]
