"""Files sent with a feedback: at most three PDF/JPEG/PNG of 10 MB, judged by their bytes, for staff only."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from motcua.accounts.testing import verified_staff_client
from motcua.core.errors import InvalidInput
from motcua.documents.models import StoredFile
from motcua.documents.tests import samples
from motcua.feedback.models import Feedback, FeedbackAttachment, FeedbackEvent
from motcua.feedback.services import feedback as fb
from motcua.feedback.services.attachments import MAX_BYTES, Upload, attachments_validate

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.feedback.tests.urls")]

PDF = samples.pdf_bytes(text="Don phan anh")


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


PNG = image("PNG")


def upload(name: str, content: bytes, mime: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=mime)


def portal_form(province, files: list[SimpleUploadedFile]) -> dict[str, object]:
    return {
        "category": "officer_unit",
        "target_unit": province.a.unit.code,
        "title": "Chờ lâu tại quầy",
        "content": "Ảnh chụp phiếu hẹn kèm theo.",
        "contact_name": "Trần Thị Bình",
        "contact_phone": "0987654321",
        "attachments": files,
    }


def nothing_stored(settings) -> bool:
    media = settings.MEDIA_ROOT
    files_on_disk = media.exists() and any(path.is_file() for path in media.rglob("*"))
    return not (
        Feedback.objects.exists()
        or FeedbackEvent.objects.exists()
        or FeedbackAttachment.objects.exists()
        or StoredFile.objects.exists()
        or files_on_disk
    )


def test_a_citizen_attaches_a_pdf_and_a_png_and_the_units_staff_download_them(client, province):
    response = client.post(
        reverse("feedback:new"),
        portal_form(province, [upload("don.pdf", PDF, "application/pdf"), upload("C:\\Anh\\phieu-hen.png", PNG)]),
    )

    assert response.status_code == 302
    item = Feedback.objects.get()
    pdf, png = item.attachments.select_related("stored_file")
    assert (pdf.original_name, pdf.stored_file.mime, pdf.stored_file.size) == ("don.pdf", "application/pdf", len(PDF))
    assert (png.original_name, png.stored_file.mime) == ("phieu-hen.png", "image/png")
    assert item.events.get().data["attachments"] == ["don.pdf", "phieu-hen.png"]

    verified_staff_client(client, province.a.specialist)
    detail = client.get(reverse("feedback:staff-detail", args=[item.code])).content.decode()
    for attachment, content in ((pdf, PDF), (png, PNG)):
        url = reverse("feedback:staff-attachment", args=[item.code, attachment.pk])
        assert f'href="{url}"' in detail
        download = client.get(url)
        assert download.status_code == 200
        assert download.content == content
        assert download["Content-Type"] == attachment.stored_file.mime
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"


def test_an_official_attaches_the_scanned_letter_when_recording_it(client, province):
    verified_staff_client(client, province.a.officer)
    letter = {
        **portal_form(province, [upload("thu.pdf", PDF)]),
        "channel": "letter",
        "received_at": "2025-06-27T10:00",
        "contact_phone": "",
        "contact_address": "Thôn 2, xã An Bình",
    }

    response = client.post(reverse("feedback:staff-record"), letter)

    assert response.status_code == 302
    attachment = FeedbackAttachment.objects.select_related("stored_file").get()
    assert attachment.stored_file.uploaded_by == province.a.officer
    assert (
        client.get(reverse("feedback:staff-attachment", args=[attachment.feedback.code, attachment.pk])).content == PDF
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload("don.pdf", b"Day la mot tep van ban, khong phai PDF.\n" * 20, "application/pdf")], "không phải"),
        ([upload("anh.pdf", PNG, "application/pdf")], ".pdf"),  # a PNG in disguise
        ([upload("to-khai.tiff", image("TIFF"))], "không phải"),  # the document store takes TIFF; feedback does not
        ([upload("lon.pdf", PDF + b"\n%" + b"0" * MAX_BYTES, "application/pdf")], "10 MB"),
        ([upload(f"{n}.png", PNG) for n in range(4)], "3"),
        ([upload("hong.pdf", b"%PDF-1.7\n1 0 obj garbage", "application/pdf")], "PDF"),
    ],
    ids=["text-named-pdf", "png-named-pdf", "tiff", "over-10-mb", "four-files", "damaged-pdf"],
)
def test_a_refused_file_is_named_in_the_errors_and_nothing_is_saved(client, province, settings, files, message):
    response = client.post(reverse("feedback:new"), portal_form(province, [upload("ok.png", PNG), *files][-4:]))

    assert response.status_code == 422
    errors = " ".join(response.context["form"].errors["attachments"])
    assert message in errors
    assert "chọn lại" in response.content.decode()
    assert nothing_stored(settings)


def test_the_service_checks_the_files_too(province, settings):
    data = fb.FeedbackInput(
        category="regulation",
        target_unit=province.a.unit.code,
        title="Góp ý",
        content="Nội dung",
        contact_name="Lê Văn C",
        contact_phone="0900000000",
    )
    with pytest.raises(InvalidInput) as refused:
        fb.feedback_submit(data=data, attachments=[Upload("a.png", PNG), Upload("b.pdf", b"MZ\x90\x00 not a pdf")])

    assert refused.value.code == "file_type_not_allowed"
    assert refused.value.field == "attachments"
    assert "b.pdf" in str(refused.value.message)
    assert nothing_stored(settings)
    with pytest.raises(InvalidInput, match="10 MB"):
        attachments_validate([Upload("big.png", PNG + b"\0" * MAX_BYTES)])
    attachments_validate([Upload(f"{n}.png", PNG) for n in range(3)])  # three is fine


def test_attachments_stay_private_when_the_answer_is_published(client, province):
    client.post(reverse("feedback:new"), portal_form(province, [upload("cmnd-cua-toi.png", PNG)]))
    item = Feedback.objects.get()
    attachment = item.attachments.get()
    fb.feedback_publish(
        feedback=fb.feedback_answer(feedback=item, officer=province.a.specialist, answer="Đã chấn chỉnh."),
        officer=province.a.leader,
    )
    url = reverse("feedback:staff-attachment", args=[item.code, attachment.pk])

    public = client.get(reverse("feedback:published")).content.decode()
    anonymous = client.get(url)
    client.force_login(province.citizen)
    citizen = client.get(url)

    assert "Đã chấn chỉnh." in public
    assert "cmnd-cua-toi.png" not in public
    assert url not in public
    assert anonymous.status_code == 302
    assert citizen.status_code == 403


def test_staff_of_another_unit_cannot_download_and_ids_do_not_cross_feedback(client, province):
    client.post(reverse("feedback:new"), portal_form(province, [upload("a.png", PNG)]))
    first = Feedback.objects.get()
    attachment = first.attachments.get()
    second = fb.feedback_submit(
        data=fb.FeedbackInput(
            category="regulation",
            target_unit=province.a.unit.code,
            title="Khác",
            content="Không có tệp",
            contact_name="Lê Văn C",
            contact_phone="0900000000",
        )
    )

    verified_staff_client(client, province.b.leader)
    other_unit = client.get(reverse("feedback:staff-attachment", args=[first.code, attachment.pk]))
    verified_staff_client(client, province.a.officer)
    wrong_feedback = client.get(reverse("feedback:staff-attachment", args=[second.code, attachment.pk]))

    assert other_unit.status_code == 404
    assert wrong_feedback.status_code == 404
