"""Stand-in for the get-pip.py bootstrap script that ansible-test downloads from its own CI file server,
which this machine cannot reach. ansible-test runs it inside each new sanity venv with the pip install
arguments it wants (e.g. 'pip==24.2 --no-setuptools'): pip comes from the Python's own ensurepip, then the
requested versions from the package index. ansible-test runs pip with a reduced environment, so the
machine's pip configuration (index, CA bundle) is copied into the venv's own pip.conf first."""
import configparser
import ensurepip
import os
import subprocess
import sys

conf = configparser.ConfigParser()
conf.read(['/etc/xdg/pip/pip.conf', '/etc/pip.conf', os.path.expanduser('~/.pip/pip.conf'),
           os.path.expanduser('~/.config/pip/pip.conf')])
cert = '/etc/ssl/certs/ca-certificates.crt'
if os.path.isfile(cert) and not conf.has_option('global', 'cert'):
    if not conf.has_section('global'):
        conf.add_section('global')
    conf.set('global', 'cert', cert)
with open(os.path.join(sys.prefix, 'pip.conf'), 'w') as f:
    conf.write(f)
ensurepip.bootstrap(upgrade=True)
os.environ.pop('PIP_CONFIG_FILE', None)  # ensurepip sets it to /dev/null
args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install', '--disable-pip-version-check', '-q'] + args))
