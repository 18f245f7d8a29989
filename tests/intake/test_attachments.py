"""The type of an attachment comes from its content; the name's extension must agree."""

import io
import zipfile
from types import SimpleNamespace

import pytest

from app.intake import attachments
from tests.intake.conftest import JPEG, PDF, PNG, SCRIPT, TEXT, office_file


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    zipfile.ZipFile(buffer, "w").close()
    return buffer.getvalue()


def upload(name: str, content: bytes):
    return SimpleNamespace(filename=name, stream=io.BytesIO(content))


@pytest.mark.parametrize("name, content, kind", [
    ("protokoll.pdf", PDF, "pdf"),
    ("bild.jpg", JPEG, "jpeg"),
    ("bild.JPEG", JPEG, "jpeg"),
    ("skärmbild.png", PNG, "png"),
    ("brev.docx", office_file("docx"), "docx"),
    ("lista.xlsx", office_file("xlsx"), "xlsx"),
    ("anteckning.txt", TEXT, "text"),
])
def test_each_allowed_type_is_recognised_from_its_content(app, name, content, kind):
    [checked] = attachments.inspect([upload(name, content)])
    assert checked.kind == kind
    assert checked.data == content
    assert checked.original_name == name


@pytest.mark.parametrize("name, content", [
    ("faktura.pdf", SCRIPT),                     # a script renamed to .pdf
    ("bild.png", JPEG),                          # the extension lies about the content
    ("program.exe", b"MZ\x90\x00\x03" + b"\x00" * 40),
    ("skript.sh", SCRIPT),                       # text, but not an allowed extension
    ("brev.docx", office_file("xlsx")),          # a spreadsheet called a letter
    ("arkiv.docx", _empty_zip()),                 # a ZIP, but no Office package
    ("trasig.docx", b"PK\x03\x04 not really a zip"),
    ("latin1.txt", "Åsa".encode("latin-1")),     # not UTF-8
    ("nul.txt", b"text\x00with a NUL"),
    ("sida.html.pdf", b"<html><script>alert(1)</script></html>"),
])
def test_forged_or_unknown_types_are_refused(app, name, content):
    with pytest.raises(attachments.AttachmentRefused) as refused:
        attachments.inspect([upload(name, content)])
    assert "går inte att bifoga" in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused_without_reading_it_all(app):
    app.config["ATTACHMENT_MAX_BYTES"] = 1000
    big = io.BytesIO(b"%PDF-" + b"0" * 5000)
    with pytest.raises(attachments.AttachmentRefused) as refused:
        attachments.inspect([SimpleNamespace(filename="stor.pdf", stream=big)])
    assert "stor.pdf är större än" in refused.value.messages[0]
    assert big.tell() == 1001


def test_more_files_than_allowed_are_refused(app):
    app.config["ATTACHMENT_MAX_FILES"] = 2
    with pytest.raises(attachments.AttachmentRefused) as refused:
        attachments.inspect([upload(f"{i}.txt", TEXT) for i in range(3)])
    assert "högst 2 filer" in refused.value.messages[0]


def test_empty_file_inputs_are_ignored_but_empty_files_are_refused(app):
    assert attachments.inspect([SimpleNamespace(filename="", stream=io.BytesIO(b""))]) == []
    with pytest.raises(attachments.AttachmentRefused):
        attachments.inspect([upload("tom.txt", b"")])


@pytest.mark.parametrize("sent, kept", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\anna\\rapport.pdf", "rapport.pdf"),
    ("bild\x00.png", "bild.png"),
    ("", "bilaga"),
])
def test_names_lose_their_path_and_control_characters(sent, kept):
    assert attachments.clean_name(sent) == kept
