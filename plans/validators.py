"""Validation of uploaded PDFs (protocol extracts, meeting papers): PDF only, within the size limit."""
import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from pypdf.generic import DictionaryObject, IndirectObject

UNREADABLE = "Filen kan inte läsas som PDF. Ladda upp protokollsutdraget som en PDF med minst en sida."
ACTIVE = "PDF:en innehåller skript eller kommandon som körs när den öppnas. Ladda upp en PDF utan sådana."
# Actions that run code or another program; links (/URI, /GoTo) are harmless.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition"}


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _runs_something(action) -> bool:
    """True if an action dictionary (or the chain after it, /Next) is active."""
    seen = 0
    pending = [action]
    while pending and seen < 100:
        item = _resolve(pending.pop())
        seen += 1
        if isinstance(item, list):
            pending.extend(item)
            continue
        if not isinstance(item, DictionaryObject):
            continue
        if item.get("/S") in ACTIVE_ACTIONS or "/JS" in item:
            return True
        if "/Next" in item:
            pending.append(item["/Next"])
    return False


def _has_active_content(reader: pypdf.PdfReader) -> bool:
    """Document-level JavaScript, and open, page, and annotation actions that run
    something. Cheap: only the catalog, the pages and their annotations are read."""
    root = reader.trailer["/Root"]
    names = _resolve(root.get("/Names"))
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        return True
    if _runs_something(root.get("/OpenAction")):
        return True
    for trigger in (_resolve(root.get("/AA")) or {}).values():
        if _runs_something(trigger):
            return True
    for page in reader.pages:
        for trigger in (_resolve(page.get("/AA")) or {}).values():
            if _runs_something(trigger):
                return True
        for annotation in _resolve(page.get("/Annots")) or []:
            annotation = _resolve(annotation)
            if isinstance(annotation, DictionaryObject) and (
                _runs_something(annotation.get("/A"))
                or any(_runs_something(t) for t in (_resolve(annotation.get("/AA")) or {}).values())
            ):
                return True
    return False


def validate_pdf_upload(upload, *, noun: str = "Protokollsutdraget") -> None:
    """Refuses files that are not PDFs (parsed, not just by their first bytes: an
    HTML file can start with "%PDF-"), PDFs without pages, PDFs that run scripts or
    programs when opened, files whose name hides their type, and files over
    PROTOCOL_MAX_BYTES. `noun` names the document in the message ("Protokollsutdraget",
    "Handlingen")."""
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
    unreadable = UNREADABLE.replace("protokollsutdraget", noun.lower())
    try:
        reader = pypdf.PdfReader(upload, strict=True)
        # Protocols are often "protected" with an empty password (no editing):
        # those open; a real password cannot be checked and is refused.
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(unreadable, code="unreadable")
        if len(reader.pages) < 1:
            raise ValidationError(unreadable, code="unreadable")
        active = _has_active_content(reader)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 – any failure to parse untrusted bytes means "not a PDF"
        raise ValidationError(unreadable, code="unreadable")
    finally:
        upload.seek(0)
    if active:
        raise ValidationError(ACTIVE, code="active_content")


def validate_protocol_pdf(upload) -> None:
    validate_pdf_upload(upload, noun="Protokollsutdraget")
