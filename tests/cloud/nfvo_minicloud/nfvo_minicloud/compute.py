"""nova-compute launcher: registers StableFakeDriver as nova.virt.nfvo_fakevirt
(nova loads compute drivers only from the nova.virt namespace)."""
import sys


def main():
    from nova.cmd import compute  # imports nova's monkey patching first
    from nfvo_minicloud import fakevirt
    sys.modules['nova.virt.nfvo_fakevirt'] = fakevirt
    return compute.main()
