"""The hand-over format (overdracht): a household as JSON for a colleague, read back with
every problem placed at its file, line and column, and compared with what a database
holds. Plain data and domain records only, below the store (``store.handover`` imports
and plans with it; exports and the command line write and read it)."""
