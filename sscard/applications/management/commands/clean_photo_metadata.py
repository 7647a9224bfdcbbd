"""`manage.py clean_photo_metadata`: re-encode, from their pixels, the card photos stored before only pixels were
stored (they may carry the upload's JPEG comment). Run once after deploying; running it again does nothing."""

from django.core.management.base import BaseCommand

from sscard.applications.retention import clean_stored_card_photos


class Command(BaseCommand):
    help = "Re-encode stored card photos that carry metadata (comments, EXIF, ...) from their pixels."

    def handle(self, *args, **options):
        self.stdout.write(f"card photos cleaned: {clean_stored_card_photos()}")
