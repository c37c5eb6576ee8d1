"""What leaves the app: Markdown dossiers, the family version, iCalendar follow-ups and
trend reports (the JSON hand-over has its own package, ``exchange``). Files are written
0600 (``files``)."""
