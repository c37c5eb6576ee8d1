from wijkgesprek.cli import main

raise SystemExit(main())
