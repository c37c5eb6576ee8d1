"""Files for other programs (a calendar); only household codes leave the app."""
