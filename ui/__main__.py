import sys

from ui.app.main import main

sys.exit(main())
