"""Cinder's fake volume driver, able to create a volume from an image.

FakeLoggingVolumeDriver has no data path; creating a volume from an image is answered by clone_image (no
download, no qemu-img) and copying an image into a volume is a no-op, so
that volumes with an image source (boot from volume, VirtualBlockStorage with sw_image_data)
work on the local cloud.
"""
from cinder.tests import fake_driver


class ImageFakeVolumeDriver(fake_driver.FakeLoggingVolumeDriver):

    def copy_image_to_volume(self, context, volume, image_service, image_id, disable_sparse=False):
        return None

    def copy_image_to_encrypted_volume(self, context, volume, image_service, image_id):
        return None

    def copy_volume_to_image(self, context, volume, image_service, image_meta):
        return None

    def clone_image(self, context, volume, image_location, image_meta, image_service):
        # "clone" every image: cinder then skips downloading and inspecting it (which needs qemu-img and a
        # privileged helper this control-plane-only cloud does not run)
        return self.create_volume(volume) or {}, True
