"""What leaves the app: Markdown dossiers, the family version, JSON hand-overs,
iCalendar follow-ups and trend reports. Files are written 0600 (``files``)."""
