"""Make the working tree importable as ansible_collections.telco.nfvo for pytest.

ansible-test needs a real ansible_collections/telco/nfvo directory; plain pytest is happy with a
symlink, made once under .build/ (git-ignored).
"""
import os
import sys

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_BASE = os.path.join(_ROOT, '.build', 'pytest')
_LINK = os.path.join(_BASE, 'ansible_collections', 'telco', 'nfvo')
if not os.path.islink(_LINK):
    os.makedirs(os.path.dirname(_LINK), exist_ok=True)
    try:
        os.symlink(_ROOT, _LINK)
    except FileExistsError:
        pass
if _BASE not in sys.path:
    sys.path.insert(0, _BASE)
