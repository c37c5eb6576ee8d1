"""wijkgesprek: a conversation guide for home visits by a Dutch sociaal wijkteam."""

__version__ = "0.1.0"
