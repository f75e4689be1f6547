"""Count HTTP requests: when NFVO_HTTP_LOG names a file, every request made through `requests` by any Python
process that has this directory on PYTHONPATH (ansible-playbook, its module subprocesses, ansible-inventory,
plain scripts) appends one line "METHOD URL STATUS SECONDS STARTED" (STARTED: epoch seconds) to it. Test and benchmark use only."""
import os
import time

_LOG = os.environ.get('NFVO_HTTP_LOG')
if _LOG:
    try:
        from requests import adapters as _adapters
    except ImportError:
        _adapters = None
    if _adapters is not None:
        _send = _adapters.HTTPAdapter.send

        def _logged_send(self, request, *args, **kwargs):
            started = time.time()
            start = time.monotonic()
            status = 'ERR'
            try:
                response = _send(self, request, *args, **kwargs)
                status = response.status_code
                return response
            finally:
                with open(_LOG, 'a') as f:
                    f.write('%s %s %s %.3f %.3f\n' % (request.method, request.url, status, time.monotonic() - start, started))

        _adapters.HTTPAdapter.send = _logged_send
