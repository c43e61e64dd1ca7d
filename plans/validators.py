"""Validation of uploaded PDFs (protocol extracts, meeting papers): PDF only, within the size limit."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat


def validate_pdf_upload(upload, *, noun: str = "Protokollsutdraget") -> None:
    """Refuses files that are not PDFs (by content, not just by name), files whose
    name hides their type, and files over PROTOCOL_MAX_BYTES. `noun` names the
    document in the message ("Protokollsutdraget", "Handlingen")."""
    name = (upload.name or "").lower()
    limit = settings.PROTOCOL_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"Filen är {filesizeformat(upload.size)}; största tillåtna storlek är {filesizeformat(limit)}.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if not name.endswith(".pdf"):
        raise ValidationError(f"{noun} ska vara en PDF-fil (.pdf).", code="extension")
    if head != b"%PDF-":
        raise ValidationError(f"Filen heter .pdf men är inte en PDF. Ladda upp {noun.lower()} som PDF.", code="content")


def validate_protocol_pdf(upload) -> None:
    validate_pdf_upload(upload, noun="Protokollsutdraget")
