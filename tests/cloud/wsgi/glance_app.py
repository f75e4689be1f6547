import sys
sys.argv = sys.argv[:1]  # oslo.config must not see gunicorn arguments
from glance.wsgi.api import application  # noqa: E402,F401 pylint: disable=unused-import,wrong-import-position
