"""``python -m partnerkit``: see :mod:`partnerkit.cli`."""

from partnerkit.cli import main

raise SystemExit(main())
