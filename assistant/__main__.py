"""`python -m assistant ...`: see assistant/cli.py."""

import sys

from .cli import main

sys.exit(main())
