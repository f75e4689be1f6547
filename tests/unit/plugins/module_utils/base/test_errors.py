"""base/errors.py: one base, and the one line a user reads (what NfvoModule.run fails with)."""
from ansible_collections.telco.nfvo.plugins.module_utils.base import errors as E


def test_every_error_class_derives_from_nfvo_error():
    classes = [v for v in vars(E).values() if isinstance(v, type) and issubclass(v, Exception)]
    assert len(classes) >= 10 and all(issubclass(c, E.NfvoError) for c in classes)
    assert issubclass(E.PlanError, ValueError) and issubclass(E.RateError, ValueError)  # callers that catch ValueError


def test_failure_message_prefixes_what_unless_the_message_is_whole():
    assert E.failure_message(E.CloudError('No valid host was found.', 500), 'scale VNF v1') == \
        'Failed to scale VNF v1: No valid host was found. (HTTP 500)'
    assert E.failure_message(E.LcmError('VNF v1 is locked by operation 42'), 'scale VNF v1') == 'VNF v1 is locked by operation 42'
    assert E.failure_message(E.PackageError('a.yaml: x: missing'), None) == 'a.yaml: x: missing'
    assert E.failure_message(OSError('disk\nfull'), 'write the report') == 'Failed to write the report: disk'
    assert E.describe_error(RuntimeError('')) == 'RuntimeError'


def test_result_travels_with_a_failed_operation():
    exc = E.OperationFailed('Failed to create port p1: quota', result={'changed': True})
    assert exc.whole and exc.result == {'changed': True} and str(exc) == 'Failed to create port p1: quota'
