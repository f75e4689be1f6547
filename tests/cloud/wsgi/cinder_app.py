import os
import sys
sys.argv = [sys.argv[0], "--config-file", os.environ["NFVO_CINDER_CONF"]]
from cinder.wsgi.api import application  # noqa: E402,F401 pylint: disable=unused-import,wrong-import-position
