import os
import sys
sys.argv = [sys.argv[0], "--config-file", os.environ["NFVO_HEAT_CONF"]]
from heat.wsgi.api import application  # noqa: E402,F401 pylint: disable=unused-import,wrong-import-position
